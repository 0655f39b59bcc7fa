"""A project's credentials on the provincial platform (models.ProvinceCredential): entered by a
supervisor on the project's 数据对接 page, or imported from the province's list. The secret never
appears in the audit log or on a page once stored."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from projects.models import Project

from .crypto import key_problem
from .models import ProvinceCredential

MAX_IMPORT_BYTES = 2 * 1024 * 1024
APPID_COLUMNS = ("appid", "项目编码", "全国项目编码")
SECRET_COLUMNS = ("appsecret", "secret", "密钥")


def secret_problem(secret: str) -> str | None:
    """Why `secret` cannot be used: it signs, and it is the AES key unless PROVINCE_AES_KEY is set."""
    if not secret:
        return "密钥不能为空。"
    if not settings.PROVINCE_AES_KEY:
        problem = key_problem(secret)
        if problem:
            return f"密钥同时是证件号码的 AES 密钥，{problem}。"
    return None


def set_credential(actor: Actor, project: Project, appid: str, secret: str) -> ProvinceCredential:
    appid, secret = appid.strip(), secret.strip()
    if not appid:
        raise ValidationError("appid 不能为空（省平台以全国项目编码作为 appid）。")
    problem = secret_problem(secret)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        before = ProvinceCredential.objects.filter(project=project).values("appid").first()
        credential, _ = ProvinceCredential.objects.update_or_create(
            project=project, defaults={"appid": appid, "secret": secret}
        )
        audit.record(
            actor,
            "exchange.credential",
            credential,
            project=project,
            summary=f"录入省平台对接凭据（appid {appid}，密钥已加密保存）",
            before=before,
            after={"appid": appid},
        )
    return credential


def import_credentials(actor: Actor, data: bytes) -> tuple[int, list[str]]:
    """The province's list as CSV (UTF-8, a header row naming the appid / 项目编码 and the 密钥
    columns): each row sets the credentials of the project whose national code is the appid. Every
    row is checked first; nothing is written unless all are good. (count, problems)."""
    if len(data) > MAX_IMPORT_BYTES:
        return 0, ["文件过大（不超过 2 MB）。"]
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        header = [cell.strip().lower() for cell in next(reader, [])]
    except (UnicodeDecodeError, csv.Error):
        return 0, ["文件应为 UTF-8 编码的 CSV。"]
    appid_at = next((header.index(c) for c in APPID_COLUMNS if c in header), None)
    secret_at = next((header.index(c) for c in SECRET_COLUMNS if c in header), None)
    if appid_at is None or secret_at is None:
        return 0, ["首行应为列名：appid（或 项目编码）、密钥（或 appsecret）。"]
    rows, problems = [], []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        appid = row[appid_at].strip() if len(row) > appid_at else ""
        secret = row[secret_at].strip() if len(row) > secret_at else ""
        project = Project.objects.filter(code=appid).first() if appid else None
        problem = secret_problem(secret) if project else f"没有项目编码为 {appid or '（空）'} 的项目。"
        if problem:
            problems.append(f"第{number}行：{problem}")
        else:
            rows.append((project, appid, secret))
    if problems:
        return 0, problems
    with transaction.atomic():
        for project, appid, secret in rows:
            set_credential(actor, project, appid, secret)
    return len(rows), []
