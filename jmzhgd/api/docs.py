"""The 接口文档 text shown above the generated OpenAPI reference, with a worked signing example.

The example's numbers are computed from `jmzhgd.api.signing` at import time (and pinned by a test),
so the document can never drift from what the server checks.
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from .signing import sign, string_to_sign

# The downloads linked below (jmzhgd.api.downloads; the URLconf mounts them at these paths).
CLIENT_PATH = "api-docs/jmzhgd_client.py"
SAMPLE_REQUEST_PATH = "api-docs/jmzhgd_sample_request.txt"

EXAMPLE = {
    "app_key": "jm1a2b3c4d5e6f70",
    "secret": "3f6c1a9e0b7d4c2e8f5a6b1c9d0e7f2a4b8c6d1e3f5a7b9c",
    "method": "POST",
    "path": "/api/v1/projects/1/punches",
    "timestamp": "1767225600",
    "nonce": "5f2b9c7e4a1d8e6b",
    "body": (
        '{"deviceSn":"JM-GATE-01","records":[{"recordId":"10001","idCardNumber":"11010519491231002X",'
        '"time":"2026-01-01 07:58:12","direction":"01","attendType":"001"}]}'
    ),
}
EXAMPLE_BODY_SHA256 = hashlib.sha256(EXAMPLE["body"].encode("utf-8")).hexdigest()
EXAMPLE_SIGN = sign(
    EXAMPLE["secret"],
    EXAMPLE["method"],
    EXAMPLE["path"],
    EXAMPLE["timestamp"],
    EXAMPLE["nonce"],
    EXAMPLE["body"].encode("utf-8"),
)
_STRING = string_to_sign(
    EXAMPLE["method"], EXAMPLE["path"], EXAMPLE["timestamp"], EXAMPLE["nonce"], EXAMPLE["body"].encode()
)

DESCRIPTION = f"""
江门市智慧工地实名制管理平台对设备商、采集APP开放的接口（采集人员上传接口、考勤接口）。

## 1. 凭证与授权
* 监管方或项目账号在平台【接口凭证】页面创建 **App Key / App Secret**；App Secret 只显示一次。
* 每个凭证绑定一个或多个项目，只能读写这些项目的数据；访问未授权的项目与访问不存在的项目一样返回 404。
* 采集APP也可以用项目账号登录 `POST /api/v1/auth/token` 取得短期令牌（请求头 `Authorization: Bearer <token>`），
  只能用于本项目的人员上传和花名册接口；连续输错密码会与网页登录一样被锁定。

## 2. 请求签名
每个签名请求带以下请求头：

| 请求头 | 说明 |
|---|---|
| `X-App-Key` | App Key |
| `X-Timestamp` | 当前 Unix 时间戳（秒），与服务器时间相差不得超过 {settings.API_SIGNATURE_WINDOW_SECONDS} 秒 |
| `X-Nonce` | 8–64 位随机字符串（字母、数字、`_`、`-`），每个新请求不同，重复使用将被拒绝（写入请求原样重发除外，见第 4 节） |
| `X-Sign` | 签名，小写十六进制 |

待签名字符串为五行，用换行符 `\\n` 连接（最后一行后没有换行）：

```
请求方法（大写）
请求路径（含查询字符串，与实际发送的完全一致）
X-Timestamp
X-Nonce
请求体的 SHA-256（小写十六进制；GET 请求体为空，即 e3b0c442…7852b855）
```

`X-Sign = hex(HMAC-SHA256(key = App Secret, message = 待签名字符串))`，均按 UTF-8 编码。

### 签名示例（真实数据，可用于核对实现）
* App Secret：`{EXAMPLE["secret"]}`
* 请求：`{EXAMPLE["method"]} {EXAMPLE["path"]}`，`X-Timestamp: {EXAMPLE["timestamp"]}`，`X-Nonce: {EXAMPLE["nonce"]}`
* 请求体（原样发送的字节）：

```
{EXAMPLE["body"]}
```

* 请求体 SHA-256：`{EXAMPLE_BODY_SHA256}`
* 待签名字符串：

```
{_STRING}
```

* `X-Sign: {EXAMPLE_SIGN}`

* 下载（需登录平台，可由项目账号或监管方下载后转交设备商）：
  [参考客户端 jmzhgd_client.py](/{CLIENT_PATH})：只用 Python 标准库写的参考客户端，可直接使用或对照实现签名；
  [签名请求示例](/{SAMPLE_REQUEST_PATH})：上面示例的完整请求（请求行、请求头、请求体）。

## 3. 返回与错误
* 成功返回 JSON（2xx）。
* 错误返回 4xx 和 JSON：`{{"code": "稳定的错误代码", "message": "中文说明", "field": "出错字段或 null"}}`。
  常见代码：`bad_signature`、`stale_timestamp`、`replayed_nonce`、`not_found`、`invalid`、`body_too_large`、
  `batch_too_large`、`login_failed`、`locked_out`。
* 请求体不得超过 {settings.API_MAX_BODY_BYTES // (1024 * 1024)} MB；每批考勤最多 {settings.API_MAX_BATCH_ITEMS} 条。出错的请求不会写入任何数据。
* 考勤批量上传逐条返回结果：`created`（已保存）、`duplicate`（重复上传，已确认，不是错误）、
  `anomaly`（已保存为异常考勤，例如该人员不在项目花名册）、`error`（未保存，见 code 和 message）。
* 平台数据库暂时不可用（重启、切换）时返回 503：`{{"code": "service_unavailable", "message": "服务暂时不可用，请稍后重试", "field": null}}`，
  响应头 `Retry-After` 为建议等待的秒数。请按第 4 节重发。

## 4. 重发：发什么、何时重新签名
* **写入请求（POST）** 遇到 429、502、503、504（等待 `Retry-After` 秒）、超时或连接中断时，
  **逐字节原样重发**：同一请求体，同一 `X-Timestamp`、`X-Nonce`、`X-Sign`，不要重新签名。
  * 第一次请求如已成功、只是应答丢失，平台返回第一次的原应答（响应头 `Idempotent-Replayed: true`），不会重复保存；
  * 第一次请求如失败，平台没有保留它的任何数据（包括 `X-Nonce`），重发按第一次处理。
* 签名在 {settings.API_SIGNATURE_WINDOW_SECONDS} 秒内有效：距首次签名超过 240 秒仍未成功时，用新的 `X-Timestamp`
  和 `X-Nonce` 重新签名同一请求体再发；考勤按 `recordId` 去重，重复的记录返回 `duplicate`。
* **查询请求（GET）** 重试时每次重新签名（新的 `X-Nonce`）；同一 `X-Nonce` 的 GET 重发返回 401 `replayed_nonce`。
* 其他 4xx 是最终结果：修正请求后作为新请求（新的 `X-Nonce`）发送。
* 参考客户端 `PlatformClient(…, retries=N)` 正是这样做的。
"""
