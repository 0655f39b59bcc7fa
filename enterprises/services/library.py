"""企业库 (SPEC §5): registering an enterprise, who may edit it or see its licence, editing and deleting."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from ..models import Enterprise


def find_or_register_enterprise(
    actor: Actor, credit_code: str, name: str, **details
) -> tuple[Enterprise, bool]:
    """The library's enterprise for `credit_code`, registering it if absent (returns created flag)."""
    enterprise = Enterprise.objects.filter(credit_code=credit_code).first()
    if enterprise is not None:
        return enterprise, False
    enterprise = Enterprise.objects.create(
        credit_code=credit_code, name=name, created_by=actor.user, **details
    )
    audit.record(
        actor,
        "enterprise.register",
        enterprise,
        summary=f"企业注册：{name}",
        after=audit.snapshot(enterprise),
    )
    return enterprise, True


MANAGEMENT_TEAM_LOCKED = (
    "管理人员班组由系统按参建单位类型自动产生，随参建单位进退场，不能修改、删除或单独进退场。"
)


def is_supervisor_or_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_supervisor or user.is_superuser))


def can_edit_enterprise(user, enterprise: Enterprise) -> bool:
    """企业信息完善: supervisors any enterprise; a project user only those taking part in its project."""
    if is_supervisor_or_admin(user):
        return True
    if user is None or not user.is_authenticated or not user.is_project_user:
        return False
    return enterprise.participations.filter(project_id=user.project_id).exists()


def can_see_licence(user, enterprise: Enterprise) -> bool:
    """The licence scan: who may edit the enterprise, or the account that registered it."""
    if can_edit_enterprise(user, enterprise):
        return True
    return user is not None and user.is_authenticated and enterprise.created_by_id == user.pk


@transaction.atomic
def update_enterprise(actor: Actor, enterprise: Enterprise, changes: dict) -> Enterprise:
    # Work on the stored row: a ModelForm has already written its input onto the caller's instance.
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not can_edit_enterprise(actor.user, enterprise):
        raise PermissionDenied("只能完善参与本项目的企业的信息。")
    if "credit_code" in changes and not is_supervisor_or_admin(actor.user):
        changes = {k: v for k, v in changes.items() if k != "credit_code"}
    before = audit.snapshot(enterprise)
    for key, value in changes.items():
        if key == "licence_scan" and value is False:  # the form's "clear" box
            value = ""
        setattr(enterprise, key, value)
    enterprise.save()
    old, new = audit.changed(before, audit.snapshot(enterprise))
    audit.record(
        actor,
        "enterprise.update",
        enterprise,
        summary=f"企业信息完善：{enterprise.name}",
        before=old,
        after=new,
    )
    return enterprise


@transaction.atomic
def delete_enterprise(actor: Actor, enterprise: Enterprise) -> None:
    """Supervisors and admins only, and only an enterprise nothing refers to."""
    if not is_supervisor_or_admin(actor.user):
        raise PermissionDenied("只有监管方可以删除企业。")
    if enterprise.participations.exists():
        raise ValidationError(f"“{enterprise.name}”已是项目参建单位，不能从企业库删除。")
    before = audit.snapshot(enterprise)
    pk, name = enterprise.pk, enterprise.name
    try:
        with transaction.atomic():
            enterprise.delete()
    except ProtectedError:
        raise ValidationError(f"“{name}”仍被其他数据引用，不能删除。") from None
    enterprise.pk = pk
    audit.record(actor, "enterprise.delete", enterprise, summary=f"删除企业：{name}", before=before)
