"""The demo-data framework behind `manage.py seed_demo`.

Each app that has demo data provides `<app>/demo.py` with `seed(demo: DemoContext)`. The command
calls them in dependency order; each seeder must be idempotent (running twice adds nothing), which
they achieve by checking for their own rows first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .actor import Actor

SEEDER_ORDER = [
    "jmzhgd.accounts",
    "projects",
    "enterprises",
    "workforce",
    "contracts",
    "training",
    "credit",
    "jmzhgd.api",
    "attendance",
    "wages",
    "deposits",
    "records",
    "alerts",  # last: it evaluates what the others seeded
]


@dataclass
class DemoContext:
    write: callable
    rng: random.Random = field(default_factory=lambda: random.Random(20260701))
    actor: Actor = field(default_factory=lambda: Actor.system("演示数据"))
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, password)
    shared: dict = field(default_factory=dict)  # what one seeder leaves for the next (e.g. demo projects)
    base_url: str = "http://127.0.0.1:8000"  # where the platform serves, for the printed hints
    # Hashing a password takes half a second; `make run` keeps the existing demo accounts' ones.
    keep_passwords: bool = False
