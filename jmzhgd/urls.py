"""Root URLs. Every project page is under /projects/<project_id>/ (DESIGN.md pattern 1)."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from jmzhgd.api.endpoints import api
from jmzhgd.core import health
from jmzhgd.core import views as core_views

admin.site.site_header = "江门市智慧工地实名制管理平台 · 系统管理"
admin.site.site_title = "实名制平台管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    # First: devices call the API hundreds of times a second, and Django tries the patterns in
    # order (the project pages before it cost a hundred failed matches per API request).
    path("api/v1/", api.urls),  # the signed JSON API and its 接口文档 (namespace api-1)
    path("", core_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # The address people type: /login/ and /login (no slash) go straight to the login page.
    re_path(
        r"^login/?$",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="login_shortcut",
    ),
    path("accounts/", include("jmzhgd.accounts.urls")),
    path("", include("jmzhgd.core.urls")),
    path("", include("projects.urls")),
    path("", include("enterprises.urls")),
    path("", include("workforce.urls")),
    path("", include("attendance.urls")),
    path("", include("contracts.urls")),
    path("", include("jmzhgd.api.urls")),
    path("", include("jmzhgd.jobs.urls")),  # 【我的导出】  # 接口凭证 pages (namespace api_credentials)
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "jmzhgd.core.views.error_403"
handler404 = "jmzhgd.core.views.error_404"
handler500 = "jmzhgd.core.views.error_500"
