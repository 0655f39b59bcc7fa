"""The national standard's signing and field encryption (docs/domain.md §2.1).

sign = sha256(lower("appid=..&data=..&format=json&method=..&nonce=..&timestamp=..&version=1.0"
                    "&appsecret=<secret>")), hex; ID and bank-card numbers inside `data` are
AES/CBC/PKCS7 with the 32-character key as bytes and its first 16 characters as the IV, Base64.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

AES_KEY_LENGTH = 32


def key_problem(key: str) -> str | None:
    """Why `key` cannot be the standard's AES key, or None when it can."""
    if not key:
        return "未配置"
    if not key.isascii() or len(key) != AES_KEY_LENGTH:
        return f"应为 {AES_KEY_LENGTH} 个 ASCII 字符（AES-256，前 16 个字符为 IV），当前为 {len(key)} 个字符"
    return None


class FieldCipher:
    def __init__(self, key: str):
        problem = key_problem(key)
        if problem:
            raise ValueError(f"省平台 AES 密钥{problem}")
        raw = key.encode("ascii")
        self._cipher = Cipher(algorithms.AES(raw), modes.CBC(raw[:16]))
        self._memo: dict[str, str] = {}

    def encrypt(self, text: str) -> str:
        # The same worker's number is in every punch of the month: encrypt it once per run.
        if text in self._memo:
            return self._memo[text]
        padder = padding.PKCS7(128).padder()
        data = padder.update(text.encode("utf-8")) + padder.finalize()
        encryptor = self._cipher.encryptor()
        out = base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode("ascii")
        self._memo[text] = out
        return out

    def decrypt(self, text: str) -> str:
        decryptor = self._cipher.decryptor()
        data = decryptor.update(base64.b64decode(text)) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        return (unpadder.update(data) + unpadder.finalize()).decode("utf-8")


SIGNED_PARAMS = ("appid", "data", "format", "method", "nonce", "timestamp", "version")


def sign(params: dict[str, str], secret: str) -> str:
    text = "&".join(f"{name}={params[name]}" for name in sorted(SIGNED_PARAMS))
    return hashlib.sha256(f"{text}&appsecret={secret}".lower().encode("utf-8")).hexdigest()
