"""Resending a signed write is safe (docs/security.md "API resends"; the reference client's
`PlatformClient.request`).

A device whose request met an error it may retry (a 503 while the database restarts, a timeout, a
dropped connection) sends the *same bytes again* — same X-Timestamp, X-Nonce and X-Sign. So:

- the nonce of a signed write (POST, PUT, PATCH, DELETE) is recorded **in the same transaction as
  the write**, together with the response: a request that failed leaves no trace, and its resend
  runs as if it were the first;
- a resend of a write that **succeeded** (its answer was lost on the way) is answered with the
  stored response, marked `Idempotent-Replayed: true`, and writes nothing again;
- two copies arriving together: the second waits on the first's nonce row (a unique key), then is
  answered with the first's response;
- anything else reusing a nonce (another request, a different signature, a read) is still refused
  with 401 `replayed_nonce`. A read records its nonce on its own (jmzhgd.api.auth) and is never
  replayed from storage: its resend must be signed afresh.

The wrapper runs around every API operation (`NinjaAPI.add_decorator(…, mode="view")`, so around
authentication and the error handlers too) and does nothing for reads and unsigned requests.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse

from .errors import ApiError, unavailable_response
from .models import ApiNonce

logger = logging.getLogger(__name__)

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass
class NonceClaim:
    """Filled in by the signature check once it has recorded the request's nonce."""

    app_key: str = ""
    nonce: str = ""
    signature: str = ""


class ReplayedRequest(Exception):
    """A resend of a write that succeeded: answered with the stored response."""

    def __init__(self, stored: ApiNonce):
        super().__init__(stored.nonce)
        self.stored = stored


def claim_for(request: HttpRequest) -> NonceClaim | None:
    """The claim of a signed write running inside `idempotent`, else None (its nonce is recorded
    on its own, as a read's)."""
    return getattr(request, "nonce_claim", None)


def replay_or_refuse(app_key: str, nonce: str, signature: str) -> None:
    """The nonce is taken: answer the stored response if this is a resend of that very request,
    else refuse."""
    stored = ApiNonce.objects.filter(app_key=app_key, nonce=nonce).first()
    if stored is not None and stored.response_status is not None and stored.signature == signature:
        raise ReplayedRequest(stored)
    raise ApiError(
        401,
        "replayed_nonce",
        "该 X-Nonce 已用于另一请求，请为每个新请求生成新的随机数（重发同一请求请原样重发）。",
        "X-Nonce",
    )


def replay_response(stored: ApiNonce) -> HttpResponse:
    response = HttpResponse(
        stored.response_body.encode("utf-8"), status=stored.response_status, content_type=stored.response_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


def idempotent(run):
    """Runs a signed write in one transaction with its nonce and stores its response (2xx only);
    any other answer rolls everything back, the nonce included."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in WRITES or not request.headers.get("X-App-Key"):
            return run(request, *args, **kwargs)
        claim = request.nonce_claim = NonceClaim()
        try:
            with transaction.atomic():
                response = run(request, *args, **kwargs)
                if claim.nonce and 200 <= response.status_code < 300 and not response.streaming:
                    ApiNonce.objects.filter(app_key=claim.app_key, nonce=claim.nonce).update(
                        signature=claim.signature,
                        response_status=response.status_code,
                        response_type=response.get("Content-Type", "application/json")[:100],
                        response_body=response.content.decode("utf-8", "replace"),
                    )
                else:
                    transaction.set_rollback(True)
        except (OperationalError, InterfaceError) as exc:
            # The commit itself failed: whether it took place is unknown, and either way the
            # client's resend is answered right (stored response, or a first run).
            logger.error("API %s %s: commit failed: %s", request.method, request.path, exc)
            return unavailable_response()
        return response

    return wrapper
