"""Project actions. Each validates, writes and audits in one transaction (DESIGN.md pattern 2)."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jmzhgd.accounts.models import Role, User
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from . import hooks
from .models import ConstructionPermit, Declaration, DeclarationAttachment, DeclarationStatus, Project

# Project code scheme: 区县代码(6) + 年份(4) + 当年该区县流水号(4), e.g. 44070320260001.
# Readable by a clerk (where and when the project joined), unique, and never reused.
PROJECT_CODE_ATTEMPTS = 5


def next_project_code(district: str, year: int) -> str:
    prefix = f"{district}{year}"
    last = (
        Project.objects.filter(code__startswith=prefix, code__regex=rf"^{prefix}\d{{4}}$")
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    sequence = int(last[-4:]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def create_project(actor: Actor, *, code: str | None = None, **fields) -> Project:
    """Create a project with the next project code; the code is retried if another request took it.

    `code` is given only by the demo data, which keys its projects on fixed codes."""
    year = timezone.localdate().year
    for _attempt in range(PROJECT_CODE_ATTEMPTS):
        project = Project(code=code or next_project_code(fields["district"], year), **fields)
        try:
            with transaction.atomic():
                project.save()
                audit.record(
                    actor,
                    "project.create",
                    project,
                    summary=f"创建项目 {project.code}",
                    after=audit.snapshot(project),
                )
            return project
        except IntegrityError:
            if code is None and Project.objects.filter(code=project.code).exists():
                continue
            raise
    raise RuntimeError("无法生成唯一的项目编码，请重试。")


_PASSWORD_ALPHABET = string.ascii_letters + string.digits
_AMBIGUOUS = set("0O1lI")


def generate_initial_password(length: int = 12) -> str:
    """A random one-time password without look-alike characters, with letters and digits."""
    alphabet = [c for c in _PASSWORD_ALPHABET if c not in _AMBIGUOUS]
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def account_username_for(project: Project) -> str:
    return f"xm{project.code}"


@transaction.atomic
def issue_project_account(actor: Actor, project: Project) -> tuple[User, str]:
    """The project's account with a one-time initial password (returned once, never stored)."""
    password = generate_initial_password()
    user = User(
        username=account_username_for(project),
        role=Role.PROJECT,
        project=project,
        real_name=project.name[:100],
        phone=project.contact_phone,
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    audit.record(actor, "account.issue", user, project=project, summary=f"开通项目账号 {user.username}")
    return user, password


# --- 项目申报 (SPEC §3) -------------------------------------------------------------------------

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
                        original_name=(original_name or "")[:200],
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
    hooks.project_established.send(sender=Project, actor=actor, project=project, entry_date=timezone.localdate())
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


# --- Supervisor account care -------------------------------------------------------------------


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


# --- 项目库 (SPEC §4) ---------------------------------------------------------------------------

# WGS-84 bounds: China (the coordinates must lie inside) and Jiangmen (outside it we only warn).
CHINA_BOUNDS = {"lat": (Decimal("3.8"), Decimal("53.6")), "lng": (Decimal("73.5"), Decimal("135.1"))}
JIANGMEN_BOUNDS = {"lat": (Decimal("21.45"), Decimal("22.85")), "lng": (Decimal("111.95"), Decimal("113.25"))}
SIX_PLACES = Decimal("0.000001")


def _inside(bounds: dict, lat: Decimal, lng: Decimal) -> bool:
    return bounds["lat"][0] <= lat <= bounds["lat"][1] and bounds["lng"][0] <= lng <= bounds["lng"][1]


def check_coordinates(lat: Decimal, lng: Decimal) -> tuple[Decimal, Decimal, str]:
    """(lat, lng) rounded to 6 decimals, and a warning when outside Jiangmen; outside China raises."""
    lat = Decimal(lat).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    lng = Decimal(lng).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    if not _inside(CHINA_BOUNDS, lat, lng):
        raise ValidationError(
            f"坐标（纬度 {lat}，经度 {lng}）不在中国境内：纬度应在 3.8–53.6 之间，经度应在 73.5–135.1 之间。",
            code="outside_china",
        )
    warning = ""
    if not _inside(JIANGMEN_BOUNDS, lat, lng):
        warning = f"注意：坐标（纬度 {lat}，经度 {lng}）不在江门市范围内，请确认项目位置是否正确。"
    return lat, lng, warning


@transaction.atomic
def set_project_location(actor: Actor, project: Project, lat, lng) -> str:
    """【项目定位】【保存】: stores WGS-84 lat/lng with 6 decimals; returns a warning or ""."""
    lat, lng, warning = check_coordinates(lat, lng)
    before = audit.snapshot(project, fields=["lat", "lng"])
    project.lat, project.lng = lat, lng
    project.save(update_fields=["lat", "lng", "updated_at"])
    audit.record(
        actor,
        "project.locate",
        project,
        summary=f"项目定位：{lat}, {lng}",
        before=before,
        after=audit.snapshot(project, fields=["lat", "lng"]),
    )
    return warning


@transaction.atomic
def register_place_code(
    actor: Actor, project: Project, place_code: str, image=None, remove_image=False
) -> None:
    """【场所码登记】: the 粤省事 场所码 ID and optionally its QR image (already checked)."""
    before = audit.snapshot(project, fields=["place_code", "place_code_image"])
    project.place_code = place_code
    old_image = project.place_code_image.name if project.place_code_image else ""
    if image is not None:
        project.place_code_image = image
    elif remove_image:
        project.place_code_image = ""
    project.save(update_fields=["place_code", "place_code_image", "updated_at"])
    if old_image and old_image != (project.place_code_image.name or ""):
        transaction.on_commit(lambda: project.place_code_image.storage.delete(old_image))
    audit.record(
        actor,
        "project.place_code",
        project,
        summary=f"场所码登记：{place_code}",
        before=before,
        after=audit.snapshot(project, fields=["place_code", "place_code_image"]),
    )


@transaction.atomic
def update_project(actor: Actor, form, permit_formset) -> Project:
    """【编辑】【提交】: the project's fields and its 施工许可证, audited with before/after."""
    project = form.instance
    before = audit.snapshot(Project.objects.get(pk=project.pk))
    permits_before = sorted(project.permits.values_list("number", flat=True))
    form.save()
    permit_formset.instance = project
    permit_formset.save()
    after = audit.snapshot(project)
    permits_after = sorted(project.permits.values_list("number", flat=True))
    old, new = audit.changed(before, after)
    if permits_before != permits_after:
        old["施工许可证"], new["施工许可证"] = "、".join(permits_before), "、".join(permits_after)
    old.pop("updated_at", None), new.pop("updated_at", None)
    audit.record(actor, "project.update", project, summary="编辑项目信息", before=old, after=new)
    return project
