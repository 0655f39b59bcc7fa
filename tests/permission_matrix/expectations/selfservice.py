from ..spec import PROJECT_PAGE, PUBLIC_PAGE, Expect

EXPECTATIONS = {
    # Public and phone-sized; a lookup answers only for the worker's own combination.
    "selfservice:lookup": PUBLIC_PAGE,
    # 【我要反映】 without a verified lookup (no worker identified): back to the form with a message.
    "selfservice:report": Expect(method="POST", anonymous=400, other=400, supervisor=400, own=400),
    # The printable QR poster: whoever may see the project.
    "selfservice:poster": PROJECT_PAGE,
}
