"""The top floor (README "Floors"): pages that read across many apps, and the API router.

项目总览, the supervisor's dashboard and project list, the 花名册 with its 合同 column and the
person page with its contracts and attendance; `api` gathers every app's router. Nothing below
imports from here.
"""
