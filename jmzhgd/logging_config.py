"""The platform's logging: every record goes through one console handler that masks ID numbers
(jmzhgd.core.logging), so no ID number reaches a log line in clear (docs/requirements.md §11 PII)."""

from __future__ import annotations


def logging_config(level: str) -> dict:
    """Django's LOGGING, with the root logger at `level`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "mask_pii": {"()": "jmzhgd.core.logging.MaskIdNumbersFilter"},
            "forbidden_one_line": {"()": "jmzhgd.core.logging.ForbiddenOneLineFilter"},
        },
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["mask_pii"], "formatter": "plain"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler (DEBUG only, no PII mask) would print each of its records a
            # second time beside the root handler: its records go through the root handler alone.
            "django": {"handlers": [], "level": "INFO"},
            "django.db.backends": {"level": "WARNING"},
            # A 403 is logged as one line (user, URL, reason), not with a traceback.
            "django.request": {"filters": ["forbidden_one_line"]},
            "django.security.csrf": {"filters": ["forbidden_one_line"]},
            # runserver's request log (query strings included) had a handler of its own in Django's
            # defaults, without the masking filter: it goes through the masking console instead.
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # pypdf reports each oddity of a damaged but readable upload (jmzhgd/core/pdf_safety.py).
            "pypdf": {"level": "ERROR"},
        },
    }
