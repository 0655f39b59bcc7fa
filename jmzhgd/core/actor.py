"""Who performs an action: a signed-in user, an API client, or the system (commands, seeding)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The caller's IP, trusting X-Forwarded-For only for the configured number of proxies."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Actor:
    user: object | None = None  # accounts.User
    ip: str | None = None
    label: str = ""  # e.g. "接口客户端 ABC" or "系统"

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, ip=client_ip(request))

    @classmethod
    def system(cls, label: str = "系统") -> Actor:
        return cls(label=label)

    @property
    def display(self) -> str:
        if self.user is not None:
            return self.user.display_name
        return self.label or "系统"
