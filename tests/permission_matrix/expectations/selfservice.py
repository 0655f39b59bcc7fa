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
}

KWARGS = {"token": lambda project: "no-such-signing-link"}
