"""Demo accounts: an administrator and two supervisors (one for the whole city, one for 蓬江区)."""

from __future__ import annotations

from .models import Role, User

DEMO_ACCOUNTS = [
    # username, password, role, real name, superuser, districts
    ("admin", "Admin@2026", Role.ADMIN, "系统管理员", True, []),
    ("jgf", "Jgf@2026js", Role.SUPERVISOR, "市住建局监管员", False, []),
    ("jgf_pj", "Jgfpj@2026", Role.SUPERVISOR, "蓬江区住建局监管员", False, ["440703"]),
]


def seed(demo) -> None:
    for username, password, role, real_name, superuser, districts in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                real_name=real_name,
                districts=districts,
                is_superuser=superuser,
                is_staff=superuser,
            )
        # The printed password must work on every run, even after someone changed it (unless the
        # caller asked to keep existing passwords: `make run`'s second start).
        if user.pk is None or not demo.keep_passwords:
            user.set_password(password)
        user.save()
        demo.logins.append(("管理员" if superuser else "监管方", username, password))
