"""Attendance URLs: device pages and the attendance reports are separate features with their own modules."""

from .urls_devices import urlpatterns as device_urlpatterns
from .urls_fence import urlpatterns as fence_urlpatterns
from .urls_reports import urlpatterns as report_urlpatterns

app_name = "attendance"

urlpatterns = device_urlpatterns + report_urlpatterns + fence_urlpatterns
