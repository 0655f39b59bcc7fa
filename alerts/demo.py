"""The demo's 预警中心: the nightly evaluation run once the other apps have seeded, so the page opens
on what the demo data is wrong about (the overdue wage month, workers without contracts …) instead of
an empty table. Idempotent: a second run opens nothing new (evaluation keeps one live alert per cause)."""

from __future__ import annotations

from .evaluation import evaluate


def seed(demo) -> None:
    outcomes = evaluate()
    opened = sum(o.opened for o in outcomes.values())
    live = sum(o.opened + o.lasting for o in outcomes.values())
    demo.write(f"  预警中心：新增 {opened} 条，当前 {live} 条（每晚由 evaluate_alerts 重新评估）")
