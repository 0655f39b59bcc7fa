"""Supervisors' account care: a project created directly, password reset, account (de)activation."""

from __future__ import annotations

from django.db import transaction

from jmzhgd.accounts.models import User
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from ..models import Project
from .creation import generate_initial_password
from .declarations import establish_project


@transaction.atomic
def create_project_directly(actor: Actor, fields: dict, permit_numbers=()) -> tuple[Project, User, str]:
    """A project from the old platform: no declaration, same end state as an approval."""
    project, user, password = establish_project(actor, fields, permit_numbers)
    audit.record(
        actor, "project.create_direct", project, summary=f"监管方直接创建项目 {project.code}（旧平台项目）"
    )
    return project, user, password


@transaction.atomic
def reset_account_password(actor: Actor, user: User) -> str:
    """A new one-time password; the account must change it at its next login."""
    password = generate_initial_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    try:
        from axes.utils import reset as reset_lockouts

        reset_lockouts(username=user.username)
    except ImportError:  # pragma: no cover - axes is a dependency
        pass
    audit.record(
        actor,
        "account.reset_password",
        user,
        project=user.project,
        summary=f"重置项目账号密码 {user.username}",
    )
    return password


@transaction.atomic
def set_account_active(actor: Actor, user: User, active: bool) -> User:
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor,
        "account.enable" if active else "account.disable",
        user,
        project=user.project,
        summary=f"{'启用' if active else '停用'}项目账号 {user.username}",
        before={"is_active": not active},
        after={"is_active": active},
    )
    return user
