"""The platform's seal on the PDFs the worker's own word ends up in (docs/signatures.md §2).

A sealed PDF carries a PAdES signature (ETSI EN 319 142, subfilter ETSI.CAdES.detached) made with the
platform's key, by pyHanko. Any change to the file after sealing is detectable (电子签名法 art. 13 (三)(四)):
a changed byte breaks the signature's digest, bytes appended after it leave it covering only part of
the file. `verify_pdf` answers valid or invalid with a Chinese reason; any standard PDF reader that
trusts the platform's certificate shows the same.

The key and certificate are PEM files named by settings (SEAL_KEY_FILE, SEAL_CERT_FILE,
SEAL_KEY_PASSPHRASE). Where none is configured and SEAL_DEV_AUTOCREATE is on (development and the
tests), a self-signed one is generated on first use into those paths (under var/, which git ignores);
`manage.py make_seal_cert` makes one on purpose. The key never reaches a log or a response.
"""

from __future__ import annotations

import datetime
import functools
import io
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEV_SUBJECT = "智慧工地平台电子签章（开发测试用）"  # a CN holds at most 64 bytes of UTF-8
FIELD_NAME = "PlatformSeal"


@dataclass(frozen=True)
class Verdict:
    valid: bool
    message: str
    signer: str = ""
    signed_at: datetime.datetime | None = None


def make_self_signed(
    key_path: Path, cert_path: Path, *, subject: str = DEV_SUBJECT, days: int = 3650
) -> None:
    """Write a new EC P-256 key (mode 0600) and a self-signed certificate for it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "江门市智慧工地实名制管理平台"),
            x509.NameAttribute(NameOID.COMMON_NAME, subject),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _outside_event_loop(function, *args):
    """Run `function` where pyHanko's synchronous API may start its own asyncio loop: in a worker
    thread when this thread already runs one (an ASGI server, a browser-driving test)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def _paths() -> tuple[Path, Path]:
    return Path(settings.SEAL_KEY_FILE), Path(settings.SEAL_CERT_FILE)


def ensure_seal() -> None:
    """The configured key and certificate exist; in development they are made on first use."""
    key_path, cert_path = _paths()
    if key_path.exists() and cert_path.exists():
        return
    if not settings.SEAL_DEV_AUTOCREATE:
        raise ImproperlyConfigured("未配置平台电子签章证书：请设置 SEAL_KEY_FILE 和 SEAL_CERT_FILE。")
    make_self_signed(key_path, cert_path)
    _signer.cache_clear()


@functools.lru_cache(maxsize=1)
def _signer():
    from pyhanko.sign import signers

    key_path, cert_path = _paths()
    passphrase = settings.SEAL_KEY_PASSPHRASE.encode() if settings.SEAL_KEY_PASSPHRASE else None
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path), key_passphrase=passphrase)
    if signer is None:
        raise ImproperlyConfigured("平台电子签章证书无法读取：请检查 SEAL_KEY_FILE、SEAL_CERT_FILE 和口令。")
    return signer


def certificate():
    """The platform's seal certificate (asn1crypto), the trust root `verify_pdf` checks against."""
    ensure_seal()
    return _signer().signing_cert


def seal_pdf(pdf: bytes, *, reason: str, location: str = "江门市") -> bytes:
    """`pdf` with the platform's PAdES signature over the whole file."""
    ensure_seal()
    return _outside_event_loop(_seal, pdf, reason, location)


def _seal(pdf: bytes, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    out = signers.sign_pdf(writer, meta, signer=_signer())
    return out.getvalue()


def verify_pdf(data: bytes) -> Verdict:
    """Whether `data` is a PDF sealed by this platform and unchanged since (every signature intact,
    the last one covering the whole file, its certificate the platform's)."""
    trust_root = certificate()
    return _outside_event_loop(_verify, data, trust_root)


def _verify(data: bytes, trust_root) -> Verdict:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return Verdict(False, "文件不是可读取的PDF，或已被修改损坏，签章无效。")
    if not signatures:
        return Verdict(False, "文件中没有电子签章。")
    context = ValidationContext(trust_roots=[trust_root], allow_fetching=False)
    for embedded in signatures:
        try:
            status = validate_pdf_signature(embedded, context)
        except Exception:  # any failure to validate is an invalid seal, never a 500
            return Verdict(False, "签章数据无法校验，文件可能已被修改，签章无效。")
        signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
        if not status.intact:
            return Verdict(False, "签章后文件内容已被修改，签章无效。", signer)
        if not status.valid:
            return Verdict(False, "签章的密码校验未通过，签章无效。", signer)
        if not status.trusted:
            return Verdict(False, "签章不是本平台的签章证书所签，不能确认。", signer)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Verdict(False, "签章后文件又被追加修改，签章不覆盖整个文件，无效。", signer)
    return Verdict(True, "签章有效：文件自签章以来未被修改。", signer, status.signer_reported_dt)
