"""Root URLs. Every project page is under /projects/<project_id>/ (docs/architecture.md pattern 1)."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

import projects.urls
import workforce.urls
from jmzhgd.accounts.views import admin_login
from jmzhgd.core import health
from jmzhgd.core import views as core_views
from jmzhgd.portal import urls as portal_urls
from jmzhgd.portal.api import api

admin.site.site_header = "江门市智慧工地实名制管理平台 · 系统管理"
admin.site.site_title = "实名制平台管理"
admin.site.index_title = "系统管理"
# The admin has no login form of its own: /admin/login/ sends staff to the platform's login.
admin.site.login = admin_login

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
    # The top floor's pages join the namespaces of the apps they belong to (jmzhgd.portal.urls).
    path("", include((projects.urls.urlpatterns + portal_urls.projects_urlpatterns, "projects"))),
    path("", include("enterprises.urls")),
    path("", include((workforce.urls.urlpatterns + portal_urls.workforce_urlpatterns, "workforce"))),
    path("", include("attendance.urls")),
    path("", include("contracts.urls")),
    path("", include("training.urls")),
    path("", include("records.urls")),
    path("", include("credit.urls")),
    path("", include("wages.urls")),
    path("", include("deposits.urls")),
    path("", include("alerts.urls")),
    path("", include("selfservice.urls")),
    path("", include("exchange.urls")),
    path("", include("jmzhgd.api.urls")),  # 接口凭证 pages (namespace api_credentials)
    path("", include("jmzhgd.jobs.urls")),  # 【我的导出】
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "jmzhgd.api.errors.error_400"
handler403 = "jmzhgd.api.errors.error_403"
handler404 = "jmzhgd.api.errors.error_404"
handler500 = "jmzhgd.api.errors.error_500"
