"""The dry run as text, for the command's output (the page renders the same Plan)."""

from __future__ import annotations

from collections.abc import Iterator

from .purge import Done, Plan


def plan_lines(plan: Plan) -> Iterator[str]:
    yield f"保存期限检查（{plan.today:%Y-%m-%d}）：{len(plan.due)} 项将删除，{len(plan.skipped)} 项因法律保全跳过。"
    for line in plan.lines:
        mark = "跳过" if line.held else "删除"
        files = f"，文件 {line.files} 个" if line.files else ""
        yield f"  [{mark}] {line.record_class.label} | {line.where} | 记录 {line.rows} 条{files} | {line.note}"
    for note in plan.notes:
        yield f"  说明：{note}"


def done_lines(done: list[Done]) -> Iterator[str]:
    for item in done:
        if item.error:
            yield f"  [失败] {item.line.record_class.label} | {item.line.where} | {item.error}"
        else:
            yield f"  [完成] {item.line.record_class.label} | {item.line.where} | 删除 {item.removed} 条"
