"""The recovery drill's report (deploy/drill.py): the machine it ran on and the summary it prints."""

from __future__ import annotations

import json
import os
import platform


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), ""
    )
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return f"{platform.node()}, {os.cpu_count()} cores ({cpu}), {memory / 1024 / 1024:.0f} GiB, {platform.platform()}"


def summary(report: dict) -> str:
    f, p = report["failover"], report["pitr"]
    serve = f["seconds_to_serve_again"]
    lines = [
        f"恢复演练  {report['date']}  {report['machine']}",
        f"  已确认考勤 {f['punches_acknowledged']} 条（故障前 {f['acknowledged_before_kill']} 条），丢失 {f['punches_lost']} 条（目标 0）",
        f"  SIGKILL 主库 → 备库提升 {f['seconds_to_promote']} 秒；→ 重新服务 {serve} 秒（目标 ≤ 60 秒）",
        f"  故障前备库为页面承担读事务 {f['standby_transactions_before_kill']} 个；"
        f"客户端请求 {f['requests']} 次，出错：{json.dumps(f['client_errors'], ensure_ascii=False) or '{}'}",
        f"  时间点恢复：恢复到 {p['target']}（误操作 UPDATE 之前），用时 {p['seconds']} 秒；"
        f"被改写的 {p['rows_damaged']} 行{'已恢复' if p['rows_back'] else '未恢复'}",
        f"  归档：{json.dumps(p['archive'], ensure_ascii=False)}",
    ]
    return "\n".join(lines)
