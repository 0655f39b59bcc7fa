"""Downloads linked from 接口文档 (docs/requirements.md §10): the reference client and a sample signed request.

Vendors cannot reach the platform's code repository, so the platform serves the standard-library
client itself (clients/jmzhgd_client.py, the same file the platform's own tests and
`simulate_devices` run) and the worked signing example of 接口文档 as a request to compare with.
Both are for signed-in accounts (a project or a supervisor hands them to its vendor).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from .docs import EXAMPLE, EXAMPLE_SIGN

CLIENT_FILE = settings.BASE_DIR / "clients" / "jmzhgd_client.py"


def _attachment(body: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def client_download(request):
    try:
        source = CLIENT_FILE.read_text(encoding="utf-8")
    except FileNotFoundError:  # a deployment without the clients/ folder
        raise Http404("参考客户端未随平台部署，请联系监管方。") from None
    return _attachment(source, "jmzhgd_client.py", "text/x-python")


def sample_request_text(host: str) -> str:
    """The worked example of 接口文档 §2 as the bytes a client sends (headers, blank line, body)."""
    lines = [
        "# 江门市智慧工地实名制管理平台接口：签名请求示例（与接口文档“签名示例”相同的数据）",
        f"# App Secret：{EXAMPLE['secret']}（示例用，请使用平台【接口凭证】页面发放的凭证）",
        "# 用参考客户端 jmzhgd_client.py 的 sign() 对同样的数据签名，应得到相同的 X-Sign。",
        "",
        f"{EXAMPLE['method']} {EXAMPLE['path']} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json; charset=utf-8",
        f"X-App-Key: {EXAMPLE['app_key']}",
        f"X-Timestamp: {EXAMPLE['timestamp']}",
        f"X-Nonce: {EXAMPLE['nonce']}",
        f"X-Sign: {EXAMPLE_SIGN}",
        "",
        EXAMPLE["body"],
    ]
    return "\n".join(lines) + "\n"


@login_required
def sample_request(request):
    return _attachment(sample_request_text(request.get_host()), "jmzhgd_sample_request.txt", "text/plain")
