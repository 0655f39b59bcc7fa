"""考勤员 accounts (docs/geofence.md): a project issues phone accounts that may only send 移动考勤
punches for it (jmzhgd.accounts.middleware.AttendantScopeMiddleware), and disables them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from jmzhgd.accounts.models import Role, User
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from projects.services import generate_initial_password

MAX_ATTENDANTS = 50  # per project


def attendants_of(project):
    return User.objects.filter(role=Role.ATTENDANT, project=project).order_by("-is_active", "username")


@transaction.atomic
def issue_attendant(actor: Actor, project, real_name: str, phone: str = "") -> tuple[User, str]:
    """A new 考勤员 account of `project` and its one-time password (returned once, never stored)."""
    real_name = (real_name or "").replace("\x00", "").strip()  # PostgreSQL stores no NUL
    if not real_name:
        raise ValidationError("请填写考勤员姓名或设备名称。")
    if len(real_name) > 50:
        raise ValidationError("考勤员姓名或设备名称不能超过 50 个字符。")
    phone = (phone or "").replace("\x00", "").strip()
    if len(phone) > 20:
        raise ValidationError("联系电话不能超过 20 个字符。")
    taken = attendants_of(project).count()
    if taken >= MAX_ATTENDANTS:
        raise ValidationError(f"每个项目最多开通 {MAX_ATTENDANTS} 个考勤员账号。")
    number = taken + 1
    while User.objects.filter(username=f"kq{project.code}-{number}").exists():
        number += 1
    password = generate_initial_password()
    user = User(
        username=f"kq{project.code}-{number}",
        role=Role.ATTENDANT,
        project=project,
        real_name=real_name,
        phone=phone,
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    audit.record(
        actor,
        "account.issue",
        user,
        project=project,
        summary=f"开通考勤员账号 {user.username}（{real_name}）",
    )
    return user, password


@transaction.atomic
def disable_attendant(actor: Actor, user: User) -> None:
    if not user.is_active:
        raise ValidationError("该考勤员账号已停用。")
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record(
        actor,
        "account.disable",
        user,
        project=user.project_id,
        summary=f"停用考勤员账号 {user.username}",
        before={"is_active": True},
        after={"is_active": False},
    )
