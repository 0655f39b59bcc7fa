from django.urls import path  # noqa: F401

# 项目月考勤, 考勤明细, 异常考勤 (SPEC §8, issue 8).
urlpatterns: list = []
