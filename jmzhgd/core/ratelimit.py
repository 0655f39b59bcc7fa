"""Rate limits on the public and authentication endpoints (ASVS 6.1.1): declaration, status lookup, login, API.

Fixed windows counted in the database (RateCounter), so all gunicorn workers and all application servers
share the count. Rules are keyed by URL name (or a path prefix for the API) in settings.RATE_LIMITS, and
applied by RateLimitMiddleware, so views need no decorator. A client over its limit gets HTTP 429 with a
Chinese message (JSON under /api/).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone

from . import rawsql
from .actor import client_ip
from .models import RateCounter


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    seconds: int
    methods: tuple[str, ...] = ("POST",)


def _rules() -> tuple[dict[str, Rule], list[tuple[str, Rule]]]:
    by_name, by_prefix = {}, []
    for target, (limit, seconds, methods) in settings.RATE_LIMITS.items():
        rule = Rule(target, limit, seconds, tuple(methods))
        if target.startswith("/"):
            by_prefix.append((target, rule))
        else:
            by_name[target] = rule
    # The most specific prefix decides (the app login's own limit before the API's general one).
    by_prefix.sort(key=lambda item: len(item[0]), reverse=True)
    return by_name, by_prefix


def rule_for(request) -> Rule | None:
    by_name, by_prefix = _rules()
    for prefix, rule in by_prefix:
        if request.path_info.startswith(prefix) and request.method in rule.methods:
            return rule
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    rule = by_name.get(match.view_name)
    if rule and request.method in rule.methods:
        return rule
    return None


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


# How often a counted request also deletes windows that have ended (an indexed range delete; no
# scheduler needed). Every request used to do it, which cost a statement on the API's hot path.
PURGE_PROBABILITY = 0.01


def _upsert_sql(connection) -> str:
    """One statement that counts a request and returns the window's count (PostgreSQL and SQLite
    ≥ 3.35 both have INSERT … ON CONFLICT … RETURNING): no read-modify-write race, one round trip."""
    table = rawsql.table(connection, RateCounter)
    key, window, count = rawsql.columns(connection, RateCounter, "key", "window_start", "count")
    return (
        f"INSERT INTO {table} ({key}, {window}, {count}) VALUES (%s, %s, 1) "
        f"ON CONFLICT ({key}, {window}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}"
    )


def hit(key: str, rule: Rule, now: datetime | None = None) -> int:
    """Count one request for `key` under `rule`; returns the count in the current window."""
    now = now or timezone.now()
    window = _window_start(now, rule.seconds)
    full_key = f"{rule.name}|{key}"[:200]
    connection = rawsql.connection_for(RateCounter)
    with rawsql.cursor(connection) as cursor:
        cursor.execute(_upsert_sql(connection), [full_key, connection.ops.adapt_datetimefield_value(window)])
        (count,) = cursor.fetchone()
    if random.random() < PURGE_PROBABILITY:
        purge_ended_windows(now)
    return count


def purge_ended_windows(now: datetime | None = None) -> int:
    """Delete windows that no rule can still be counting: older than twice the longest rule's period
    (a cutoff from the calling rule's own period would wipe the hour-long declaration windows on
    every busy minute of API traffic)."""
    longest = max((seconds for _limit, seconds, _methods in settings.RATE_LIMITS.values()), default=3600)
    cutoff = (now or timezone.now()) - timedelta(seconds=2 * longest)
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted


def over_limit(key: str, rule: Rule) -> bool:
    """Count one request for `key`; True when it is past the rule's limit in this window."""
    return hit(key, rule) > rule.limit


def limited_message(rule: Rule) -> str:
    return f"请求过于频繁，请 {max(rule.seconds // 60, 1)} 分钟后再试。"


def too_many(request, rule: Rule) -> HttpResponse:
    message = limited_message(rule)
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"code": "rate_limited", "message": message, "field": None}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(rule.seconds)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rule = rule_for(request)
        if rule is not None and over_limit(client_ip(request) or "unknown", rule):
            return too_many(request, rule)
        return self.get_response(request)
