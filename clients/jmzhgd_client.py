"""Reference client for the 江门市智慧工地实名制管理平台 API (接口 v1) — Python standard library only.

Device vendors and collection-app developers can use this file as it is, or read it as the
specification of how requests are signed:

    X-App-Key:   the credential's App Key
    X-Timestamp: unix time in seconds (must be within 300 s of the server clock)
    X-Nonce:     a fresh random string per request (8–64 of A–Z a–z 0–9 _ -); a repeat is refused,
                 except a write's resend byte for byte (below)
    X-Sign:      hex(HMAC-SHA256(App Secret,
                     METHOD + "\\n" + PATH_WITH_QUERY + "\\n" + TIMESTAMP + "\\n" + NONCE + "\\n"
                     + hex(SHA-256(body bytes))))

What to resend, and when to sign again (PlatformClient(retries=N) does exactly this):

- A write (POST) that met a retryable error — 429, 502, 503, 504 (wait Retry-After), a timeout or
  a dropped connection — is sent again **byte for byte**: same body, same X-Timestamp, X-Nonce and
  X-Sign. If the first copy was stored and only its answer lost, the platform answers the resend
  with the original answer (header `Idempotent-Replayed: true`) and stores nothing twice; if it
  failed, nothing of it was kept and the resend runs as the first.
- Sign again (new X-Timestamp and X-Nonce, same body) only once the signature is about to leave the
  300 s window (after RESIGN_AFTER_SECONDS), or for a read (GET), whose nonce is used up at once.
  A re-signed write runs again: punches are deduplicated by recordId (answered "duplicate").
- Any other 4xx is final for that request: correct it before sending anything again.

Example::

    from jmzhgd_client import PlatformClient
    client = PlatformClient("https://jmzhgd.example.cn", app_key="jm…", app_secret="…")
    client.upload_person(1, {"workerName": "张三", "idCardNumber": "11010519491231002X"})
    client.upload_punches(1, [{"recordId": "1", "idCardNumber": "11010519491231002X",
                               "time": "2026-05-01 07:58:12", "direction": "01"}], device_sn="SN001")

Errors raise ApiError with the platform's stable `code`, Chinese `message` and `field`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

API_PREFIX = "/api/v1"
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# The server accepts a signature for 300 s either way of its clock: resend the same bytes until then.
RESIGN_AFTER_SECONDS = 240


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, field: str | None = None, retry_after: float = 1.0
    ):
        super().__init__(f"{status} {code}: {message}" + (f" ({field})" if field else ""))
        self.status, self.code, self.message, self.field = status, code, message, field
        self.retry_after = retry_after


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The X-Sign value for one request (see the module docstring)."""
    body_hash = hashlib.sha256(body).hexdigest()
    message = f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{body_hash}"
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_headers(app_key: str, secret: str, method: str, path: str, body: bytes) -> dict:
    timestamp = str(int(time.time()))
    nonce = secrets.token_hex(16)
    return {
        "X-App-Key": app_key,
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Sign": sign(secret, method, path, timestamp, nonce, body),
    }


@dataclass
class Prepared:
    """One request as it goes on the wire; `send` sends these very bytes again on a retry."""

    method: str
    path: str
    body: bytes
    headers: dict = field(default_factory=dict)
    signed_at: float = 0.0


class PlatformClient:
    """Signs with an App Key/Secret, or (collection app) uses a bearer token from `login`.

    With retries > 0 a retryable failure is retried as the module docstring says, waiting the
    server's Retry-After (at most `max_wait` seconds); `resends` counts the byte-for-byte resends."""

    def __init__(
        self,
        base_url: str,
        app_key: str = "",
        app_secret: str = "",
        timeout: float = 30,
        retries: int = 0,
        max_wait: float = 30,
    ):
        self.base_url = base_url.rstrip("/")
        self.app_key, self.app_secret = app_key, app_secret
        self.token = ""
        self.timeout = timeout
        self.retries, self.max_wait = retries, max_wait
        self.resends = 0

    # --- transport -------------------------------------------------------------------------------
    def request(self, method: str, path: str, payload=None, query: dict | None = None, raw: bool = False):
        return self.send(self.prepare(method, path, payload, query), raw=raw)

    def prepare(self, method: str, path: str, payload=None, query: dict | None = None) -> Prepared:
        path = API_PREFIX + path
        if query:
            path += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        prepared = Prepared(method.upper(), path, body, {"Accept": "application/json"})
        if payload is not None:
            prepared.headers["Content-Type"] = "application/json; charset=utf-8"
        self._sign(prepared)
        return prepared

    def _sign(self, prepared: Prepared) -> None:
        if self.app_key:
            headers = signed_headers(
                self.app_key, self.app_secret, prepared.method, prepared.path, prepared.body
            )
            prepared.headers.update(headers)
            prepared.signed_at = time.time()
        elif self.token:
            prepared.headers["Authorization"] = f"Bearer {self.token}"

    def send(self, prepared: Prepared, raw: bool = False):
        """Send `prepared`; on a retryable failure send it again (see the module docstring)."""
        for attempt in range(self.retries + 1):
            if attempt:
                if prepared.method == "GET" or time.time() - prepared.signed_at > RESIGN_AFTER_SECONDS:
                    self._sign(prepared)
                else:
                    self.resends += 1
            try:
                return self._send_once(prepared, raw)
            except ApiError as exc:
                if exc.status not in RETRYABLE_STATUSES or attempt == self.retries:
                    raise
                time.sleep(min(self.max_wait, exc.retry_after))
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                if attempt == self.retries:
                    raise
                time.sleep(min(self.max_wait, 1.0))
        raise AssertionError("unreachable")

    def _send_once(self, prepared: Prepared, raw: bool):
        req = urllib.request.Request(
            self.base_url + prepared.path,
            data=prepared.body or None,
            method=prepared.method,
            headers=prepared.headers,
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                data = response.read()
        except urllib.error.HTTPError as exc:
            data = exc.read()
            retry_after = float(exc.headers.get("Retry-After") or 1) if exc.headers else 1.0
            try:
                error = json.loads(data)
            except ValueError:
                raise ApiError(
                    exc.code, "http_error", data[:200].decode("utf-8", "replace"), retry_after=retry_after
                ) from None
            raise ApiError(
                exc.code,
                error.get("code", ""),
                error.get("message", ""),
                error.get("field"),
                retry_after=retry_after,
            ) from None
        return data if raw else json.loads(data)

    # --- endpoints -------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> dict:
        """Collection app: log in with the project account; later calls use the bearer token."""
        result = self.request("POST", "/auth/token", {"username": username, "password": password})
        self.token = result["token"]
        return result

    def upload_person(self, project_id: int, person: dict) -> dict:
        return self.request("POST", f"/projects/{project_id}/persons", person)

    def roster(
        self, project_id: int, page: int = 1, page_size: int = 100, changed_since: str | None = None
    ) -> dict:
        query = {"page": page, "pageSize": page_size, "changedSince": changed_since}
        return self.request("GET", f"/projects/{project_id}/roster", query=query)

    def person_photo(self, project_id: int, person_id: int) -> bytes:
        return self.request("GET", f"/projects/{project_id}/persons/{person_id}/photo", raw=True)

    def upload_punches(self, project_id: int, records: list[dict], device_sn: str | None = None) -> dict:
        """Up to 500 records per call; each gets a result (created / duplicate / anomaly / error)."""
        payload = {"records": records}
        if device_sn:
            payload["deviceSn"] = device_sn
        return self.request("POST", f"/projects/{project_id}/punches", payload)

    def heartbeat(self, project_id: int, device_sn: str) -> dict:
        return self.request(
            "POST", f"/projects/{project_id}/devices/{urllib.parse.quote(device_sn)}/heartbeat"
        )
