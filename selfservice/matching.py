"""How a worker proves who he is: 姓名 + 身份证号 + the last 4 digits of his phone.

Phones are stored encrypted (jmzhgd.core.pii); their last 4 digits are kept in clear for display and
for this check, so the lookup decrypts nothing.
"""

from __future__ import annotations

import hmac


def phone_last4_of(person) -> str:
    return person.phone_last4 or ""


def same_secret(given: str, stored: str) -> bool:
    """Constant-time comparison: a wrong name and a wrong phone take the same time as a right one."""
    return hmac.compare_digest(given.encode("utf-8"), stored.encode("utf-8"))


def identity_matches(person, name: str, phone_last4: str) -> bool:
    # Both comparisons always run (no short-circuit): the time does not say which one failed.
    name_ok = same_secret(name, person.name)
    phone_ok = same_secret(phone_last4, phone_last4_of(person)) and len(phone_last4_of(person)) == 4
    return name_ok & phone_ok
