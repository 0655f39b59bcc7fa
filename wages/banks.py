"""The bank code (docs/domain.md §3.13) of a bank written as free text, e.g. a worker's 工资卡开户行
"中国建设银行江门分行" → 105, so the 代发 file and the national payload carry the code."""

from __future__ import annotations

from jmzhgd.core.codes import Bank

# Names people write besides the full ones (the longest match wins, so 农村商业银行 beats 农村).
_ALIASES = {
    "工商银行": Bank.ICBC,
    "工行": Bank.ICBC,
    "农业银行": Bank.ABC,
    "农行": Bank.ABC,
    "建设银行": Bank.CCB,
    "建行": Bank.CCB,
    "中行": Bank.BOC,
    "邮政储蓄": Bank.PSBC,
    "邮储": Bank.PSBC,
    "农商": Bank.RURAL_COMMERCIAL,
    "信用社": Bank.RURAL_CREDIT,
    "浦发": Bank.SPDB,
    "招行": Bank.CMB,
}


def bank_code_for(name: str) -> str:
    """The code of the bank `name` names, or "" when none is recognised."""
    name = (name or "").strip()
    if not name:
        return ""
    candidates = [(label, code) for code, label in Bank.choices] + list(_ALIASES.items())
    matches = [(len(label), str(code)) for label, code in candidates if label in name]
    return max(matches)[1] if matches else ""
