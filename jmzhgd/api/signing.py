"""The request signature (docs/requirements.md §10), computed the same way by the server and by clients.

    X-Sign = hex( HMAC-SHA256( secret, METHOD + "\n" + PATH + "\n" + TIMESTAMP + "\n" + NONCE + "\n"
                                        + hex(SHA-256(body)) ) )

PATH is the request path with its query string exactly as sent (``/api/v1/projects/1/roster?page=2``);
the body of a GET is empty, whose SHA-256 is e3b0c442…b855. The reference client
(clients/jmzhgd_client.py) implements the same with the standard library only.
"""

from __future__ import annotations

import hashlib
import hmac


def string_to_sign(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    body_hash = hashlib.sha256(body or b"").hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{body_hash}"


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = string_to_sign(method, path, timestamp, nonce, body)
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_matches(expected: str, given: str) -> bool:
    """Constant-time comparison, so response timing does not reveal how much of a guess was right."""
    return hmac.compare_digest(expected.encode("ascii"), given.strip().lower().encode("ascii", "replace"))
