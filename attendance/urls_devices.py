from django.urls import path  # noqa: F401

# 考勤设备 pages (SPEC §8, issue 7).
urlpatterns: list = []
