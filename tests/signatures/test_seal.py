"""The platform's seal: a sealed PDF verifies; one changed byte or an appended update does not."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from jmzhgd.core import pdf_render, seal


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    pdf = pdf_render.document(title="测试")
    pdf.add_page()
    pdf.cell(0, 10, "工资支付表 张三 实发 6600.00 元")
    return pdf_render.output(pdf)


@pytest.fixture(scope="module")
def sealed(plain_pdf) -> bytes:
    return seal.seal_pdf(plain_pdf, reason="测试签章")


def test_a_sealed_pdf_verifies_as_the_platforms_and_embeds_its_cjk_font(sealed):
    verdict = seal.verify_pdf(sealed)
    assert verdict.valid, verdict.message
    assert "开发测试用" in verdict.signer
    assert b"/FontFile2" in sealed or b"/FontFile3" in sealed


def test_one_changed_byte_in_the_signed_content_makes_it_invalid(sealed):
    at = len(sealed) // 3  # inside the embedded font's stream, well before the signature
    tampered = bytearray(sealed)
    tampered[at] = (tampered[at] + 1) % 256
    verdict = seal.verify_pdf(bytes(tampered))
    assert not verdict.valid
    assert "无效" in verdict.message or "不能确认" in verdict.message


def test_an_update_appended_after_the_seal_is_detected(sealed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    verdict = seal.verify_pdf(out.getvalue())
    assert not verdict.valid
    assert "追加" in verdict.message


def test_an_unsealed_or_broken_file_is_reported_not_raised(plain_pdf):
    assert seal.verify_pdf(plain_pdf).message == "文件中没有电子签章。"
    assert not seal.verify_pdf(b"not a pdf at all").valid


def test_a_pdf_sealed_by_another_key_is_not_trusted(plain_pdf, sealed, tmp_path, settings):
    ours = (settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE)
    settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE = tmp_path / "k.pem", tmp_path / "c.pem"
    seal._signer.cache_clear()
    foreign = seal.seal_pdf(plain_pdf, reason="别处")
    settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE = ours
    seal._signer.cache_clear()
    verdict = seal.verify_pdf(foreign)
    assert not verdict.valid and "不是本平台" in verdict.message
    assert seal.verify_pdf(sealed).valid


def test_the_command_makes_a_key_only_its_owner_reads_and_refuses_to_overwrite(tmp_path):
    key, cert = tmp_path / "seal-key.pem", tmp_path / "seal-cert.pem"
    call_command("make_seal_cert", key_file=str(key), cert_file=str(cert), stdout=io.StringIO())
    assert key.stat().st_mode & 0o077 == 0
    assert b"BEGIN CERTIFICATE" in cert.read_bytes()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("make_seal_cert", key_file=str(key), cert_file=str(cert), stdout=out)
