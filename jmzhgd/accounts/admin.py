from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.sessions.models import Session
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from . import hooks
from .models import User


def end_sessions_of(user_ids) -> int:
    """Delete the live browser sessions of these accounts and their collection-app tokens.

    The tokens belong to the API app a floor above; it ends them through `hooks.sessions_ended`.

    Sessions live in the database (the default engine); they are decoded one by one, which is cheap
    at the platform's size (one session per logged-in clerk). Returns the number of sessions ended.
    """
    wanted = {str(pk) for pk in user_ids}
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) in wanted
    ]
    Session.objects.filter(pk__in=doomed).delete()
    hooks.sessions_ended.send(sender=User, user_ids=list(user_ids))
    return len(doomed)


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    list_display = ["username", "real_name", "role", "project", "district_labels", "is_active", "last_login"]
    list_filter = ["role", "is_active", "must_change_password", "is_superuser"]
    search_fields = ["username", "real_name", "phone", "project__name", "project__code"]
    autocomplete_fields = ["project"]
    actions = ["end_sessions"]

    @admin.display(description="管辖区县")
    def district_labels(self, obj):
        return obj.district_labels

    fieldsets = [
        *UserAdmin.fieldsets,
        (
            "平台角色",
            {"fields": ["role", "real_name", "phone", "project", "districts", "must_change_password"]},
        ),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (
            "平台角色",
            {"fields": ["role", "real_name", "phone", "project", "districts", "must_change_password"]},
        ),
    ]

    @admin.action(description="强制下线（结束网页会话和采集APP令牌）")
    def end_sessions(self, request, queryset):
        users = list(queryset.select_related("project"))
        ended = end_sessions_of([user.pk for user in users])
        actor = Actor.from_request(request)
        for user in users:
            audit.record(actor, "auth.sessions_ended", user, project=user.project, summary="管理员强制下线")
        self.message_user(request, f"已强制下线 {len(users)} 个账号，结束 {ended} 个网页会话。")
