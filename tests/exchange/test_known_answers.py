"""Signing and field encryption against answers computed outside this code (docs/domain.md §2.1)."""

from __future__ import annotations

from exchange.crypto import FieldCipher, sign

# ibisTime/xn-gchf: GovConnecter's appid/appsecret and, in its ProjectWorker test, the idCardNumber it
# sent to the live platform, with the plain number beside it in a comment. The secret is the AES key.
XN_APPID = "3311222019030002"
XN_SECRET = "8ec1924ad80f349e71fadf50e75db627"
XN_PLAIN = "413024196804304833"
XN_CIPHERTEXT = "YUWesLNXSNln9U5qm/CabbuFulAkEcMPWkt7tIAhSKM="


def test_aes_matches_the_ciphertext_a_public_client_sent_to_the_platform():
    cipher = FieldCipher(XN_SECRET)
    assert cipher.encrypt(XN_PLAIN) == XN_CIPHERTEXT
    assert cipher.decrypt(XN_CIPHERTEXT) == XN_PLAIN


def test_the_signature_matches_an_independent_computation():
    """No public client publishes a request together with its sign, so the expected value was
    computed independently: the string the standard defines, written out by hand below, hashed with
    coreutils `sha256sum` (printf '%s' "<the string lower-cased>" | sha256sum)."""
    params = {
        "appid": XN_APPID,
        "format": "json",
        "method": "AsyncHandleResult.Query",
        "version": "1.0",
        "timestamp": "20190314113714",
        "nonce": "0f8fad5bd9cb469fa16570867728950e",
        "data": '{"requestSerialCode":"corp-upload-2019031419-1-1370"}',
    }
    # appid=3311222019030002&data={"requestserialcode":"corp-upload-2019031419-1-1370"}&format=json
    # &method=asynchandleresult.query&nonce=0f8fad5bd9cb469fa16570867728950e&timestamp=20190314113714
    # &version=1.0&appsecret=8ec1924ad80f349e71fadf50e75db627
    assert sign(params, XN_SECRET) == EXPECTED_SIGN


EXPECTED_SIGN = "340361e97efae4d5478b1ece64ab81cae2fd2db9b802df94f99bca93ac81662b"
