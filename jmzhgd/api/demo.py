"""Demo API credential: one 演示设备厂商 key bound to every demo project, its secret printed by
seed_demo so `manage.py simulate_devices` can be tried at once. Idempotent: a second run finds the
credential and prints the same secret (decrypted; demo data only)."""

from __future__ import annotations

from .models import ApiCredential
from .services import create_credential

DEMO_NAME = "演示设备厂商（seed_demo）"


def seed(demo) -> None:
    projects = demo.shared.get("projects") or []
    if not projects:
        return
    credential = ApiCredential.objects.active().filter(name=DEMO_NAME).first()
    if credential is None:
        credential, secret = create_credential(demo.actor, name=DEMO_NAME, projects=projects)
    else:
        credential.projects.add(*projects)
        secret = credential.secret
    first = projects[0]
    # Each value ends its line: a double-click or a copy to the line's end takes the secret alone,
    # never the words after it.
    demo.write("演示接口凭证（授权全部演示项目）：")
    demo.write(f"  App Key    {credential.app_key}")
    demo.write(f"  App Secret {secret}")
    demo.write(
        f"  模拟考勤设备：.venv/bin/python manage.py simulate_devices --url {demo.base_url} "
        f"--project {first.pk} --app-key {credential.app_key} --app-secret {secret} --days 1"
    )
