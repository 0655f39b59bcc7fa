"""Rule 7 reads 工资管理: the wage tests' team, workers and clock serve the alert tests too."""

from tests.wages.conftest import actor, team, today_may, workers  # noqa: F401
