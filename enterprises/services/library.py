"""企业库 (docs/requirements.md §5): registering an enterprise, who may edit it or see its licence, editing and deleting."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, ProtectedError, Q, Value

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from ..models import Enterprise, ParticipatingUnit


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


EDIT_REFUSED = "只能完善参与本项目的企业，或本项目登记且尚未被其他项目使用的企业的信息。"
MANAGEMENT_TEAM_LOCKED = (
    "管理人员班组由系统按参建单位类型自动产生，随参建单位进退场，不能修改、删除或单独进退场。"
)


def is_supervisor_or_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_supervisor or user.is_superuser))


def project_may_edit(project_id: int) -> Q:
    """Which enterprises a project's account may edit (企业信息完善, docs/architecture.md pattern 10).

    Those taking part in its project; and one it registered, while no other project uses it, so a
    typo is fixed before the enterprise is added as a 参建单位. Once another project uses it, a
    change would alter that project's records too: it goes through the supervisors."""
    units = ParticipatingUnit.objects.filter(enterprise=OuterRef("pk"))
    in_project = Exists(units.filter(project_id=project_id))
    elsewhere = Exists(units.exclude(project_id=project_id))
    return Q(in_project) | (Q(created_by__project_id=project_id) & ~Q(elsewhere))


def editable_by(user) -> ExpressionWrapper:
    """The 【编辑】 rule as a boolean annotation for the library's list."""
    if is_supervisor_or_admin(user):
        rule = Value(True)
    elif user.is_authenticated and user.is_project_user:
        rule = project_may_edit(user.project_id)
    else:
        rule = Value(False)
    return ExpressionWrapper(rule, output_field=BooleanField())


def can_edit_enterprise(user, enterprise: Enterprise) -> bool:
    """企业信息完善: supervisors any enterprise; a project user as project_may_edit says."""
    if is_supervisor_or_admin(user):
        return True
    if user is None or not user.is_authenticated or not user.is_project_user:
        return False
    return Enterprise.objects.filter(project_may_edit(user.project_id), pk=enterprise.pk).exists()


def edit_note(user, enterprise: Enterprise) -> str:
    """Why a project's account no longer has 【编辑】 on an enterprise it registered."""
    if not (user.is_authenticated and user.is_project_user) or can_edit_enterprise(user, enterprise):
        return ""
    if enterprise.created_by_id and enterprise.created_by.project_id == user.project_id:
        return "该企业已被其他项目使用，信息如需更正请联系监管方修改。"
    return ""


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
        raise PermissionDenied(EDIT_REFUSED)
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
