"""Creating a project (its 项目编码) and issuing its project account."""

from __future__ import annotations

import secrets
import string

from django.db import IntegrityError, transaction
from django.utils import timezone

from jmzhgd.accounts.models import Role, User
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from ..models import Project

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
