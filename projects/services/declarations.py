"""项目申报 (docs/requirements.md §3): submission with rate limit and duplicate check, lookup, approval, rejection."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jmzhgd.accounts.models import User
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.clip import clip

from .. import hooks
from ..models import ConstructionPermit, Declaration, DeclarationAttachment, DeclarationStatus, Project
from .creation import create_project, issue_project_account

# Per-IP limit on public declarations, counted from the database so it holds across processes.
DECLARATION_RATE_LIMIT = 5
DECLARATION_RATE_WINDOW = timedelta(hours=1)
DECLARATION_MAX_ATTACHMENTS = 5

# Fields a declaration hands over to its project.
DECLARED_PROJECT_FIELDS = [
    "name",
    "category",
    "nature",
    "district",
    "address",
    "builder_name",
    "builder_code",
    "contractor_name",
    "contractor_code",
    "total_investment",
    "building_area",
    "start_date",
    "planned_completion_date",
    "contact_name",
    "contact_phone",
    "description",
]


def _random_declaration_number() -> str:
    """SB + date + 6 random digits: readable over the phone, not guessable from a neighbour's."""
    return f"SB{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def check_declaration_rate(ip: str | None) -> None:
    if not ip:
        return
    since = timezone.now() - DECLARATION_RATE_WINDOW
    recent = Declaration.objects.filter(submitted_ip=ip, created_at__gte=since).count()
    if recent >= DECLARATION_RATE_LIMIT:
        raise ValidationError(
            f"提交过于频繁：同一网络地址每小时最多提交 {DECLARATION_RATE_LIMIT} 份申报，请稍后再试。",
            code="rate_limited",
        )


def pending_duplicate(name: str, builder_code: str) -> Declaration | None:
    return Declaration.objects.filter(
        name=name, builder_code=builder_code, status=DeclarationStatus.PENDING
    ).first()


def _duplicate_error(existing: Declaration | None) -> ValidationError:
    number = f"（申报编号 {existing.number}）" if existing else ""
    return ValidationError(
        f"该项目已有一份待审核的申报{number}（项目名称与建设单位相同），请勿重复申报，可通过申报进度查询了解审核情况。",
        code="duplicate",
    )


def submit_declaration(actor: Actor, fields: dict, attachments=()) -> Declaration:
    """A public declaration (already form-validated), with its checked attachments.

    Refused: too many from one IP within the window; a pending declaration of the same project
    name and builder (also guarded by a partial unique constraint against simultaneous submits).
    """
    check_declaration_rate(actor.ip)
    existing = pending_duplicate(fields["name"], fields["builder_code"])
    if existing is not None:
        raise _duplicate_error(existing)
    if len(attachments) > DECLARATION_MAX_ATTACHMENTS:
        raise ValidationError(f"附件最多 {DECLARATION_MAX_ATTACHMENTS} 个。")
    for _attempt in range(5):
        declaration = Declaration(number=_random_declaration_number(), submitted_ip=actor.ip, **fields)
        try:
            with transaction.atomic():
                declaration.save()
                for original_name, upload in attachments:
                    DeclarationAttachment.objects.create(
                        declaration=declaration,
                        file=upload,
                        original_name=clip(DeclarationAttachment, "original_name", original_name),
                        size=upload.size or 0,
                    )
                audit.record(
                    actor,
                    "declaration.submit",
                    declaration,
                    summary=f"提交项目申报 {declaration.number}：{declaration.name}",
                    after=audit.snapshot(declaration, fields=[*fields, "number"]),
                )
            return declaration
        except IntegrityError:
            existing = pending_duplicate(fields["name"], fields["builder_code"])
            if existing is not None:
                raise _duplicate_error(existing) from None
            if Declaration.objects.filter(number=declaration.number).exists():
                continue
            raise
    raise RuntimeError("无法生成唯一的申报编号，请重试。")


def find_declaration(number: str, phone: str) -> Declaration | None:
    """申报进度查询: both the number and the contact phone must match."""
    number = (number or "").strip().upper()
    phone = (phone or "").strip()
    if not number or not phone:
        return None
    return Declaration.objects.filter(number=number, contact_phone=phone).first()


def establish_project(actor: Actor, fields: dict, permit_numbers=()) -> tuple[Project, User, str]:
    """Project + permits + builder and general contractor as units (with their 管理人员班组) + account.

    Shared by approval and by a supervisor's direct creation of an old-platform project; the caller
    holds the transaction.
    """
    project = create_project(actor, **fields)
    for number in permit_numbers:
        if number:
            permit = ConstructionPermit.objects.create(project=project, number=number)
            audit.record(actor, "permit.create", permit, project=project, summary=f"施工许可证 {number}")
    # The units are the enterprises floor's (enterprises.receivers.enter_builder_and_contractor).
    hooks.project_established.send(
        sender=Project, actor=actor, project=project, entry_date=timezone.localdate()
    )
    user, password = issue_project_account(actor, project)
    return project, user, password


def approve_declaration(actor: Actor, declaration_id: int) -> tuple[Project, User, str]:
    """【通过】: one transaction; the declaration row is locked first, so two supervisors approving
    at the same moment make one project (the second finds it already approved and is refused)."""
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=declaration_id)
        if not declaration.is_pending:
            raise ValidationError(
                f"该申报已{declaration.get_status_display()}，不能重复审核。", code="reviewed"
            )
        fields = {name: getattr(declaration, name) for name in DECLARED_PROJECT_FIELDS}
        project, user, password = establish_project(actor, fields, [declaration.permit_number])
        before = audit.snapshot(declaration, fields=["status"])
        declaration.status = DeclarationStatus.APPROVED
        declaration.project = project
        declaration.reviewed_by = actor.user
        declaration.reviewed_at = timezone.now()
        declaration.save(update_fields=["status", "project", "reviewed_by", "reviewed_at"])
        audit.record(
            actor,
            "declaration.approve",
            declaration,
            project=project,
            summary=f"通过项目申报 {declaration.number}，项目编码 {project.code}，账号 {user.username}",
            before=before,
            after=audit.snapshot(declaration, fields=["status", "project"]),
        )
    return project, user, password


def reject_declaration(actor: Actor, declaration_id: int, reason: str) -> Declaration:
    """【驳回】 with a reason the declarant will read in 申报进度查询."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("驳回时必须填写驳回原因。", code="reason_required")
    if len(reason) > 500:
        raise ValidationError("驳回原因不能超过500字。", code="reason_too_long")
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=declaration_id)
        if not declaration.is_pending:
            raise ValidationError(
                f"该申报已{declaration.get_status_display()}，不能重复审核。", code="reviewed"
            )
        before = audit.snapshot(declaration, fields=["status", "reject_reason"])
        declaration.status = DeclarationStatus.REJECTED
        declaration.reject_reason = reason
        declaration.reviewed_by = actor.user
        declaration.reviewed_at = timezone.now()
        declaration.save(update_fields=["status", "reject_reason", "reviewed_by", "reviewed_at"])
        audit.record(
            actor,
            "declaration.reject",
            declaration,
            summary=f"驳回项目申报 {declaration.number}：{reason}",
            before=before,
            after=audit.snapshot(declaration, fields=["status", "reject_reason"]),
        )
    return declaration
