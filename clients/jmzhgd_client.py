"""Reference client for the 江门市智慧工地实名制管理平台 API (接口 v1) — Python standard library only.

Device vendors and collection-app developers can use this file as it is, or read it as the
specification of how requests are signed:

    X-App-Key:   the credential's App Key
    X-Timestamp: unix time in seconds (must be within 300 s of the server clock)
    X-Nonce:     a fresh random string per request (8–64 of A–Z a–z 0–9 _ -); a repeat is refused
    X-Sign:      hex(HMAC-SHA256(App Secret,
                     METHOD + "\\n" + PATH_WITH_QUERY + "\\n" + TIMESTAMP + "\\n" + NONCE + "\\n"
                     + hex(SHA-256(body bytes))))

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

API_PREFIX = "/api/v1"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(f"{status} {code}: {message}" + (f" ({field})" if field else ""))
        self.status, self.code, self.message, self.field = status, code, message, field


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


class PlatformClient:
    """Signs with an App Key/Secret, or (collection app) uses a bearer token from `login`."""

    def __init__(self, base_url: str, app_key: str = "", app_secret: str = "", timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self.app_key, self.app_secret = app_key, app_secret
        self.token = ""
        self.timeout = timeout

    # --- transport -------------------------------------------------------------------------------
    def request(self, method: str, path: str, payload=None, query: dict | None = None, raw: bool = False):
        path = API_PREFIX + path
        if query:
            path += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        if self.app_key:
            headers.update(signed_headers(self.app_key, self.app_secret, method, path, body))
        elif self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base_url + path, data=body or None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                data = response.read()
        except urllib.error.HTTPError as exc:
            data = exc.read()
            try:
                error = json.loads(data)
            except ValueError:
                raise ApiError(exc.code, "http_error", data[:200].decode("utf-8", "replace")) from None
            raise ApiError(
                exc.code, error.get("code", ""), error.get("message", ""), error.get("field")
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
