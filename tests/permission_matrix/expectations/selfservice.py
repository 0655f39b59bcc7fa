from ..spec import PROJECT_PAGE, PUBLIC_PAGE, Expect

EXPECTATIONS = {
    # Public and phone-sized; a lookup answers only for the worker's own combination.
    "selfservice:lookup": PUBLIC_PAGE,
    # 【我要反映】 without a verified lookup (no worker identified): back to the form with a message.
    "selfservice:report": Expect(method="POST", anonymous=400, other=400, supervisor=400, own=400),
    # 申诉 on a 诚信 record without a verified lookup: back to the form with a message, like 【我要反映】.
    "selfservice:objection": Expect(method="POST", anonymous=400, other=400, supervisor=400, own=400),
    # The printable QR poster: whoever may see the project.
    "selfservice:poster": PROJECT_PAGE,
    # A wage sheet's signing link: public, identity by 姓名 + 身份证号 + SMS code (tests/wages/test_signing.py);
    # a token no approved sheet has is a 404 for everyone, logged in or not.
    "selfservice:sign": Expect(anonymous=404, other=404, supervisor=404, own=404),
    "selfservice:sign_code": Expect(anonymous=404, other=404, supervisor=404, own=404),
    "selfservice:sign_line": Expect(anonymous=404, other=404, supervisor=404, own=404),
    # 我的劳动合同: public identity form; the code step and the list send anyone not verified by an SMS
    # code back to it; signing and downloading a contract is a 404 to everyone but the verified worker
    # himself (tests/selfservice/test_contract_signing.py), logged-in accounts included.
    "selfservice:contracts": PUBLIC_PAGE,
    "selfservice:contracts_code": Expect(anonymous=302, other=302, supervisor=302, own=302),
    "selfservice:my_contracts": Expect(anonymous=302, other=302, supervisor=302, own=302),
    "selfservice:contract_sign": Expect(anonymous=404, other=404, supervisor=404, own=404),
    "selfservice:contract_pdf": Expect(anonymous=404, other=404, supervisor=404, own=404),
}

KWARGS = {"token": lambda project: "no-such-signing-link"}
