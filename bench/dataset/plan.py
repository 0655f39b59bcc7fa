"""The dataset's scale, constants, result, punch month, and the state its build stages share."""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from jmzhgd.core.codes import (
    CorpType,
    TeamType,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
META_TABLE = "bench_meta"
MARKER_KEY = "dataset"

# Units of every project: (参建单位类型, worker teams, team type of those teams).
UNIT_PLAN = [
    (CorpType.GENERAL_CONTRACTOR, 1, TeamType.OTHER),
    (CorpType.SUPERVISION, 0, None),
    (CorpType.BUILDER, 0, None),
    (CorpType.LABOUR_SUB, 4, TeamType.WORKER),
    (CorpType.LABOUR_SUB, 4, TeamType.WORKER),
    (CorpType.PROFESSIONAL_SUB, 2, TeamType.WORKER),
]
WORKER_TEAM_NAMES = ["木工班组", "钢筋班组", "混凝土班组", "砌筑班组", "架子班组", "水电班组", "装饰班组"]
MANAGERS_PER_UNIT = 2
OTHERS_SHARE = 0.05  # of a project's non-managers, in the general contractor's 其他人员班组


@dataclass(frozen=True)
class Scale:
    projects: int = 200
    persons: int = 100_000
    on_site: int = 60_000
    days: int = 31
    big_project_on_site: int = 2_000
    contract_share: float = 0.8
    exited_share: float = 0.2  # of all persons: an earlier, finished stay somewhere (history)
    seed: int = 20261010
    # Daily summaries of the months before the punch month (a platform keeps years of them), for
    # the persons on site in the first projects that together hold `history_on_site` of them.
    history_months: int = 0
    history_on_site: int = 0

    @property
    def key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


FULL = Scale()
# Ten cities: ten times the projects, persons and punches (a project keeps its size: the big one
# still has 2,000 on site), plus a year of daily summaries for a city's worth of people (22 M rows).
PROVINCE = Scale(
    projects=2_000,
    persons=1_000_000,
    on_site=600_000,
    history_months=12,
    history_on_site=60_000,
)
SCALES = {1: FULL, 10: PROVINCE}
TINY = Scale(projects=3, persons=60, on_site=30, days=3, big_project_on_site=14)


@dataclass
class BuildResult:
    scale: Scale
    month_start: datetime.date
    big_project_id: int
    supervisor_username: str
    project_username: str
    seconds: float
    counts: dict
    steps: dict

    def as_dict(self) -> dict:
        data = asdict(self)
        data["month_start"] = self.month_start.isoformat()
        return data


def punch_month(today: datetime.date | None = None, days: int = 31) -> datetime.date:
    """The first day of the punch period: the latest finished calendar month with at least `days` days
    (at full scale a 31-day month), so the month grid shows a whole month of attendance."""
    day = (today or timezone.localdate()).replace(day=1)
    while True:
        day = (day - datetime.timedelta(days=1)).replace(day=1)
        next_month = (day + datetime.timedelta(days=32)).replace(day=1)
        if (next_month - day).days >= days:
            return day


def history_start(month_start: datetime.date, months: int) -> datetime.date:
    """The first day of the `months` calendar months before the punch month."""
    day = month_start
    for _ in range(months):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day


class Build:
    """What the stages share: the scale, the random source, the writer, the month, and each stage's
    rows for the stages after it."""

    def __init__(self, scale: Scale, writer, month_start: datetime.date, log: Callable[[str], None]):
        self.scale = scale
        self.rng = random.Random(scale.seed)
        self.writer = writer
        self.month_start = month_start
        self.days = [month_start + datetime.timedelta(days=i) for i in range(scale.days)]
        self.history_start = history_start(month_start, scale.history_months)
        self.log = log
        self.steps: dict[str, float] = {}
        self.work_type_ids: list = []
        self.post_ids: list = []
        # Filled by the stages, in order.
        self.enterprises: list[dict] = []
        self.projects: list[dict] = []
        self.big_project_id = 0
        self.units: list[dict] = []
        self.teams: list[dict] = []
        self.project_teams: dict[int, dict[str, list[tuple[int, int]]]] = {}
        self.persons: list[dict] = []
        self.roster: list[dict] = []
        self.on_site_entries: list[dict] = []
        self.on_site_sizes: list[int] = []
        self.devices: list[dict] = []
        self.punch_draws: tuple = ()  # the random state the punches were drawn from
        self.contracts: list[dict] = []

    def step(self, name: str, func: Callable[[], int]) -> None:
        t0 = time.monotonic()
        count = func()
        self.steps[name] = round(time.monotonic() - t0, 2)
        self.log(f"  {name}: {count:,} rows in {self.steps[name]:.1f} s")
