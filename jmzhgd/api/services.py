"""API credential and token actions (docs/requirements.md §10), each validated, written and audited in one transaction."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from .auth import token_hash
from .models import ApiCredential, ApiNonce, ApiToken


def new_app_key() -> str:
    return "jm" + secrets.token_hex(7)


def new_secret() -> str:
    return secrets.token_hex(24)


def can_manage_credential(user, credential: ApiCredential) -> bool:
    """Who may revoke: an admin; a supervisor who sees every bound project; a project account
    for a credential bound to its own project only."""
    from projects.models import Project

    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    bound = set(credential.projects.values_list("pk", flat=True))
    if user.is_supervisor:
        visible = set(Project.objects.visible_to(user).filter(pk__in=bound).values_list("pk", flat=True))
        return bool(bound) and bound == visible
    if user.is_project_user:
        return bound == {user.project_id}
    return False


# The 新建接口凭证 form carries a signed one-time token: a double click or a browser re-post of the
# form creates one credential, not two. A used token is recorded as a nonce (the same unique table
# as the API's, purged after twice the signature window), so a token is valid no longer than that.
FORM_TOKEN_SALT = "jmzhgd.api.credential_form"
FORM_TOKEN_NONCE_KEY = "form:api_credential"


def new_form_token() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=FORM_TOKEN_SALT)


def _claim_form_token(token: str) -> None:
    max_age = 2 * settings.API_SIGNATURE_WINDOW_SECONDS
    try:
        nonce = signing.loads(token, salt=FORM_TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(
            {NON_FIELD_ERRORS: f"新建页面已打开超过 {max_age // 60} 分钟，请重新打开新建页面后提交。"}
        ) from None
    except signing.BadSignature:
        raise ValidationError({NON_FIELD_ERRORS: "请从新建页面提交。"}) from None
    try:
        with transaction.atomic():
            ApiNonce.objects.create(app_key=FORM_TOKEN_NONCE_KEY, nonce=nonce, timestamp=int(time.time()))
    except IntegrityError:
        raise ValidationError(
            {NON_FIELD_ERRORS: "该表单已经提交过，凭证已创建，请勿重复提交；请在接口凭证列表中查看。"}
        ) from None


@transaction.atomic
def create_credential(
    actor: Actor, *, name: str, projects, form_token: str | None = None
) -> tuple[ApiCredential, str]:
    """A new credential bound to `projects` (already checked as the actor's to grant).

    Returns the credential and its secret, which is shown once and never again. `form_token` is
    the page form's one-time token (required from the page; the demo data passes none).
    """
    if form_token is not None:
        _claim_form_token(form_token)
    projects = list(projects)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写用途说明。"})
    if not projects:
        raise ValidationError({"projects": "请至少选择一个授权项目。"})
    secret = new_secret()
    credential = ApiCredential(name=name, app_key=new_app_key(), created_by=actor.user)
    credential.set_secret(secret)
    credential.save()
    credential.projects.set(projects)
    for project in projects:
        audit.record(
            actor,
            "api_credential.create",
            credential,
            project=project,
            summary=f"创建接口凭证 {credential.app_key}（{name}）",
            after={"name": name, "app_key": credential.app_key, "projects": [p.name for p in projects]},
        )
    return credential, secret


@transaction.atomic
def revoke_credential(actor: Actor, credential: ApiCredential) -> ApiCredential:
    credential = ApiCredential.objects.select_for_update().get(pk=credential.pk)
    if actor.user is not None and not can_manage_credential(actor.user, credential):
        raise PermissionDenied("该接口凭证还授权给了您管理范围以外的项目，不能由您吊销。")
    if credential.revoked_at is not None:
        raise ValidationError("该接口凭证已吊销。")
    credential.revoked_at = timezone.now()
    credential.revoked_by = actor.user
    credential.save(update_fields=["revoked_at", "revoked_by"])
    for project in credential.projects.all():
        audit.record(
            actor,
            "api_credential.revoke",
            credential,
            project=project,
            summary=f"吊销接口凭证 {credential.app_key}（{credential.name}）",
            before={"revoked_at": None},
            after={"revoked_at": credential.revoked_at},
        )
    return credential


@transaction.atomic
def issue_token(actor: Actor, user) -> tuple[str, ApiToken]:
    """A short-lived bearer token for the collection app of `user`'s project; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        token_hash=token_hash(token),
        user=user,
        project_id=user.project_id,
        expires_at=timezone.now() + timedelta(seconds=settings.API_TOKEN_TTL_SECONDS),
        ip=actor.ip,
    )
    ApiToken.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()
    audit.record(actor, "api_token.issue", user, project=user.project, summary="采集APP登录，签发令牌")
    return token, record


def end_tokens_of(sender, user_ids, **kwargs) -> None:
    """Receiver of accounts' `sessions_ended`: the accounts' collection-app tokens end with their sessions."""
    ApiToken.objects.filter(user_id__in=user_ids).delete()
