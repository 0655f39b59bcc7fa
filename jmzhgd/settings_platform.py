"""The platform's own settings, read into jmzhgd/settings.py (which keeps Django's: apps, database,
sessions, security, logging): its rules as the regulations and the bureau set them (who may enter,
the 进场 checks and lists, what counts as attendance, how long records are kept, money bounds, the
预警中心's thresholds, the 工资保证金's terms), its background jobs, 数据对接 and the device API. Each
value comes from the environment where a deployment may set its own (`.env.example` lists them)."""

from __future__ import annotations

import environ

env = environ.Env()  # the same process environment jmzhgd/settings.py reads (and its .env file)

# --- Platform settings ----------------------------------------------------------------------
SUPPORT_PHONES = env.list("SUPPORT_PHONES", default=["13750017262", "0750-8270518"])
PLATFORM_NAME = "江门市智慧工地实名制管理平台"
# Workers younger than this are refused; older than these limits (by gender) need confirmation.
WORKER_MIN_AGE = 16
WORKER_MAX_AGE_MALE = env.int("WORKER_MAX_AGE_MALE", default=60)
WORKER_MAX_AGE_FEMALE = env.int("WORKER_MAX_AGE_FEMALE", default=50)
# 进场 checks (建市〔2022〕59号 art. 8, training.gate): "off", "warn" (the entry asks for confirmation)
# or "require" (refused). A passed 安全教育/入场教育 counts within ENTRY_TRAINING_DAYS before the entry;
# an older one only while the worker has been on a site within RETRAIN_AFTER_MONTHS.
ENTRY_CHECKS = env.str("ENTRY_CHECKS", default="warn")
# 诚信 lists at 进场 and at 参建单位 add (docs/credit.md §4): "warn" (default: a warning naming the list
# and its end date, confirmed by the user) or "require" (refused with the same words).
BLACKLIST_AT_ENTRY = env.str("BLACKLIST_AT_ENTRY", default="warn")
ENTRY_TRAINING_DAYS = env.int("ENTRY_TRAINING_DAYS", default=30)
RETRAIN_AFTER_MONTHS = env.int("RETRAIN_AFTER_MONTHS", default=12)
# 人证比对 (docs/face-match.md): "manual" (the clerk compares the photo with the ID card's photo and
# confirms) or "local" (a face model on this server, the `face` extra; nothing leaves the server).
# With "local", a similarity below FACE_MATCH_THRESHOLD (0..1; 0.4 is dlib's distance 0.6) needs the
# clerk's confirmation too.
FACE_MATCH_BACKEND = env.str("FACE_MATCH_BACKEND", default="manual")
FACE_MATCH_THRESHOLD = env.float("FACE_MATCH_THRESHOLD", default=0.4)
if FACE_MATCH_BACKEND not in ("manual", "local") or not 0 < FACE_MATCH_THRESHOLD < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "FACE_MATCH_BACKEND 只能为 manual 或 local；FACE_MATCH_THRESHOLD 须在 0 与 1 之间"
    )
# What counts as a day of attendance: at least this many punches / this many hours on site.
ATTENDANCE_MIN_PUNCHES = env.int("ATTENDANCE_MIN_PUNCHES", default=1)
ATTENDANCE_MIN_HOURS = env.float("ATTENDANCE_MIN_HOURS", default=0.0)
# 移动考勤 (docs/geofence.md): a phone punch whose reported accuracy is worse than this many metres
# is kept as 异常考勤 for the project to accept or reject, wherever it says it was.
GEOFENCE_MAX_ACCURACY_M = env.int("GEOFENCE_MAX_ACCURACY_M", default=100)
# Raw punches are kept at least this long: the 工资支付台账's 工作时间 rests on them (条例 art. 15: 3 years;
# 实名制管理办法: electronic attendance ≥ 2 years). Only older months may be detached and archived.
PUNCH_RETENTION_MONTHS = env.int("PUNCH_RETENTION_MONTHS", default=36)
# Attendance photos are kept at least 2 years (实名制管理办法 art. 13); `purge_records` deletes older
# ones (docs/retention.md). Never below 24 whatever is set.
ATTENDANCE_PHOTO_RETENTION_MONTHS = env.int("ATTENDANCE_PHOTO_RETENTION_MONTHS", default=24)
# 维权信息告示牌 (保障农民工工资支付条例 art. 34): the local monthly minimum wage (江门, 元/月) and the
# complaint phones printed on it; 12333 is the national labour-security hotline.
WAGE_MINIMUM_MONTHLY = env.int("WAGE_MINIMUM_MONTHLY", default=1900)
WAGE_COMPLAINT_PHONES = env.list("WAGE_COMPLAINT_PHONES", default=["12333"])
# Plausible maxima of typed amounts (jmzhgd.core.money, docs/security.md "Amounts"): one worker's
# wage line in a month, and a 日薪 / 计件单价. Anything above is a typing error, not a wage.
MONEY_MAX_WAGE = env.str("MONEY_MAX_WAGE", default="500000")
MONEY_MAX_RATE = env.str("MONEY_MAX_RATE", default="50000")
MONEY_MAX_DEPOSIT = env.str("MONEY_MAX_DEPOSIT", default="100000000")

# --- 预警中心 (alerts.rules): each rule's threshold -----------------------------------------
ALERT_NO_ATTENDANCE_DAYS = env.int("ALERT_NO_ATTENDANCE_DAYS", default=3)
# Art. 28 of the 条例: nobody enters without a labour contract, so by default no grace at all.
ALERT_CONTRACT_GRACE_DAYS = env.int("ALERT_CONTRACT_GRACE_DAYS", default=0)
ALERT_CONTRACT_EXPIRY_DAYS = env.int("ALERT_CONTRACT_EXPIRY_DAYS", default=30)
ALERT_ID_EXPIRY_DAYS = env.int("ALERT_ID_EXPIRY_DAYS", default=30)
ALERT_CERTIFICATE_EXPIRY_DAYS = env.int("ALERT_CERTIFICATE_EXPIRY_DAYS", default=30)
# Age limits of 建筑工人 by 工种 code and gender ("0" 男, "1" 女); "default" covers every 工种
# without a line of its own. The entry check warns past the same defaults.
ALERT_AGE_LIMITS = {"default": {"0": WORKER_MAX_AGE_MALE, "1": WORKER_MAX_AGE_FEMALE}}
ALERT_MIN_AGE = env.int("ALERT_MIN_AGE", default=18)
ALERT_DEVICE_SILENT_HOURS = env.int("ALERT_DEVICE_SILENT_HOURS", default=24)
ALERT_EMPTY_TEAM_DAYS = env.int("ALERT_EMPTY_TEAM_DAYS", default=3)
ALERT_WAGE_CLERK_DAYS = env.int("ALERT_WAGE_CLERK_DAYS", default=3)
# 关键岗位到岗 (attendance.key_posts): the posts supervisors inspect (管理岗位 code, name), the working
# days (Monday = 0; sites work six days) and how many working days without attendance open an alert.
KEY_POSTS = [
    ("P01", "项目经理"),
    ("P02", "技术负责人"),
    ("P03", "安全负责人"),
    ("P04", "质量负责人"),
    ("P05", "劳资专管员"),
    ("P21", "总监理工程师"),
]
KEY_POST_WORK_WEEKDAYS = [0, 1, 2, 3, 4, 5]
KEY_POST_ABSENT_DAYS = env.int("KEY_POST_ABSENT_DAYS", default=3)
ALERT_KEY_POST_DAYS = env.int("ALERT_KEY_POST_DAYS", default=3)
ALERT_DOUBLE_SITE_DAYS = env.int("ALERT_DOUBLE_SITE_DAYS", default=7)
# Rule 7: days after the project's 工资支付日期 before an unpaid team-month alerts (条例 art. 12: the
# agreed day, so no grace by default), and how many past months the nightly run looks back over (an
# alert already open is followed until paid, whatever its age).
ALERT_WAGE_OVERDUE_DAYS = env.int("ALERT_WAGE_OVERDUE_DAYS", default=0)
ALERT_WAGE_WINDOW_MONTHS = env.int("ALERT_WAGE_WINDOW_MONTHS", default=6)
# The nightly run re-examines only what changed (alerts.nightly, docs/alerts.md); every rule also runs
# a full pass once this many days have passed since its last one.
ALERT_FULL_PASS_DAYS = env.int("ALERT_FULL_PASS_DAYS", default=7)
# 工资保证金 (docs/wages.md "工资保证金", 人社部发〔2021〕65号): working days after the 开工日期 before a
# project whose 总包 holds no deposit in its 区县 alerts (the deposit is due within 20 working days of
# the 施工许可), and working days after a 动用 before an unrestored deposit alerts (10, the legal term).
ALERT_DEPOSIT_DUE_WORKING_DAYS = env.int("ALERT_DEPOSIT_DUE_WORKING_DAYS", default=20)
ALERT_DEPOSIT_RESTORE_WORKING_DAYS = env.int("ALERT_DEPOSIT_RESTORE_WORKING_DAYS", default=10)
# The least ratio (%) of the 施工合同额: one project; several 在建 in the same 区县 (下浮, not below 0.5).
DEPOSIT_MIN_RATIO = env.str("DEPOSIT_MIN_RATIO", default="1")
DEPOSIT_MIN_RATIO_SEVERAL = env.str("DEPOSIT_MIN_RATIO_SEVERAL", default="0.5")

# --- Background jobs (docs/jobs.md) ---------------------------------------------------------
# Django's Tasks API with the database backend: jobs wait in the platform's own database and
# `manage.py db_worker` processes (one beside `make run`, N under systemd) run them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# An export of more rows than this runs as a job and lands in 【我的导出】; smaller ones stream at once.
EXPORT_JOB_THRESHOLD_ROWS = env.int("EXPORT_JOB_THRESHOLD_ROWS", default=5000)
# Finished exports are deleted this many days after they were asked for (`manage.py purge_exports`).
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
# A running export or import that no live worker names and whose own row has not moved for this
# long lost its worker (killed, machine down, database gone): it is run again, up to *_MAX_ATTEMPTS
# times in all, then marked failed. A worker names its job in its heartbeat every
# WORKER_HEARTBEAT_SECONDS, also during an import's one long commit, and counts as dead after
# WORKER_STALE_SECONDS without one (docs/jobs.md "Faults"; /healthz reports it).
EXPORT_STALL_SECONDS = env.int("EXPORT_STALL_SECONDS", default=120)
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=2)
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=10)
WORKER_STALE_SECONDS = env.int("WORKER_STALE_SECONDS", default=60)
# A 批量人员进场 commit of more rows than this runs as a job (workforce.imports.job); smaller ones
# commit within the request.
IMPORT_JOB_THRESHOLD_ROWS = env.int("IMPORT_JOB_THRESHOLD_ROWS", default=1000)
IMPORT_STALL_SECONDS = env.int("IMPORT_STALL_SECONDS", default=120)
IMPORT_MAX_ATTEMPTS = env.int("IMPORT_MAX_ATTEMPTS", default=2)

# --- 数据对接: the provincial platform (national data standard, docs/domain.md §2) ------------
# Off by default: `manage.py sync_province` does nothing until a deployment is given its access.
PROVINCE_SYNC_ENABLED = env.bool("PROVINCE_SYNC_ENABLED", default=False)
PROVINCE_ENDPOINT = env.str("PROVINCE_ENDPOINT", default="")
# Each project's appid (its national code) and secret are entered on its 数据对接 page by a supervisor
# or imported (`manage.py import_province_credentials`). The secret is also the AES-256 key of the ID
# and card numbers, as public clients use it; set this only if the province issues one key for all
# (32 ASCII characters, its first 16 the IV).
PROVINCE_AES_KEY = env.str("PROVINCE_AES_KEY", default="")


# Items per request by method, e.g. "ProjectWorker.Add=5,WorkerAttendance.Add=200" (defaults in
# exchange/mapping; docs/deploy.md, 数据对接).
def _batch_sizes(text: str) -> dict[str, int]:
    from django.core.exceptions import ImproperlyConfigured

    sizes = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        method, _, size = part.partition("=")
        if not size.strip().isdigit() or int(size) < 1:
            raise ImproperlyConfigured(
                f"PROVINCE_BATCH_SIZES 格式应为 方法=条数,…（如 ProjectWorker.Add=5），不是“{part}”"
            )
        sizes[method.strip()] = int(size)
    return sizes


PROVINCE_BATCH_SIZES = _batch_sizes(env.str("PROVINCE_BATCH_SIZES", default=""))
# Seconds before the first retry after a network error or 5xx (then doubled each time, up to 6 h),
# and before polling an answer again (doubled likewise).
PROVINCE_RETRY_SECONDS = env.int("PROVINCE_RETRY_SECONDS", default=60)
PROVINCE_POLL_SECONDS = env.int("PROVINCE_POLL_SECONDS", default=5)

# --- API (docs/requirements.md §10) --------------------------------------------------------------------------
# Signed requests: a timestamp further than this from the server clock is refused, and a nonce is
# remembered for as long (so a replay inside the window is refused too).
API_SIGNATURE_WINDOW_SECONDS = env.int("API_SIGNATURE_WINDOW_SECONDS", default=300)
# Request bodies above this size are refused (413) before they are read; a person upload with
# three compressed photos fits comfortably, a runaway client does not.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=4 * 1024 * 1024)
API_MAX_BATCH_ITEMS = 500
# Punch times later than now plus this many seconds are refused (device clocks drift a little).
API_PUNCH_FUTURE_TOLERANCE_SECONDS = env.int("API_PUNCH_FUTURE_TOLERANCE_SECONDS", default=300)
# Lifetime of the collection app's bearer token.
API_TOKEN_TTL_SECONDS = env.int("API_TOKEN_TTL_SECONDS", default=2 * 3600)

__all__ = [name for name in dir() if name.isupper()]
