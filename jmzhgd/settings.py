"""Settings for the 江门市智慧工地实名制管理平台.

Everything that differs between machines comes from the environment (12-factor); `.env.example`
documents every variable. With no environment at all the platform refuses to start unless
DJANGO_DEBUG is on, so a production machine can never run on development keys by accident.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import environ

from jmzhgd.logging_config import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _secret(name: str, dev_default: str) -> str:
    """A secret from the environment; a development default is allowed only while DEBUG is on."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return dev_default
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"环境变量 {name} 未设置（生产环境必须配置，见 .env.example）")


SECRET_KEY = _secret("DJANGO_SECRET_KEY", "dev-only-insecure-secret-key-jmzhgd-0000000000000000")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "jmzhgd.core.views.csrf_failure"

# --- PII keys -------------------------------------------------------------------------------
# Fernet keys for ID numbers at rest. The first key encrypts; every key decrypts, so a new key can
# be put in front and the data re-encrypted with `manage.py rotate_pii_key` (see README).
PII_ENCRYPTION_KEYS = env.list("PII_ENCRYPTION_KEYS", default=[]) or [
    _secret("PII_ENCRYPTION_KEY", "ZGV2LW9ubHktaW5zZWN1cmUtcGlpLWtleS0wMDAwMDA=")
]
# HMAC key for the lookup digest of ID numbers. It must never change once data exists: the digest
# is what uniqueness and exact search use.
PII_DIGEST_KEY = _secret("PII_DIGEST_KEY", "dev-only-insecure-digest-key")

# --- Applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: its `runserver` command takes precedence (jmzhgd/core/management). The
    # app has no templates or static files whose order could matter.
    "jmzhgd.core",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "captcha",
    "jmzhgd.core.axes_app.AxesConfig",  # django-axes, named in Chinese
    "django_tables2",
    "django_filters",
    "rules",
    "ninja",
    # Before django_tasks_db: its `db_worker` command is replaced by the platform's own, which
    # survives a lost database and writes a heartbeat (jmzhgd/jobs/management, docs/jobs.md).
    "jmzhgd.jobs",
    "django_tasks",
    "django_tasks_db",
    "jmzhgd.accounts",
    "jmzhgd.sms",
    "projects",
    "enterprises",
    "workforce",
    "attendance",
    "contracts",
    "training",
    "credit",
    "wages",
    "deposits",
    "alerts",
    "selfservice",
    "exchange",
    "records",
    "jmzhgd.api",
    "jmzhgd.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jmzhgd.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jmzhgd.core.middleware.PrivateNoStoreMiddleware",
    "jmzhgd.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jmzhgd.accounts.middleware.ForcePasswordChangeMiddleware",
    "jmzhgd.accounts.middleware.AttendantScopeMiddleware",
    "jmzhgd.core.ratelimit.RateLimitMiddleware",
    "jmzhgd.core.middleware.MethodNotAllowedPageMiddleware",
    "jmzhgd.api.middleware.ApiMethodNotAllowedMiddleware",
    "jmzhgd.core.middleware.DebugNotFoundPageMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "jmzhgd.urls"
WSGI_APPLICATION = "jmzhgd.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jmzhgd.core.context_processors.platform",
                "alerts.context_processors.open_alerts",
            ],
        },
    },
]


# --- Database -------------------------------------------------------------------------------
def database(url: str) -> dict:
    """A connection's settings from its URL, with what the platform relies on."""
    config = env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent requests (runserver, the browser tests' live server) and the job worker wait for
        # the write lock instead of failing with "database is locked"; IMMEDIATE takes it up front,
        # avoiding deadlocks. WAL lets readers (the 我的导出 page polling, an export reading its rows)
        # and the one writer go on together; synchronous=NORMAL is WAL's usual durability setting.
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, with a health check that asks the socket instead of the server
        # (jmzhgd/db/postgresql/base.py).
        config["ENGINE"] = "jmzhgd.db.postgresql"
        config.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
        config["CONN_HEALTH_CHECKS"] = True
        # No JIT compilation: PostgreSQL compiled the supervisor dashboard's project query on every
        # call (cost estimate over jit_above_cost), 29 ms of its 40 ms in `make bench`; the platform's
        # queries are short, and none gains from it.
        options = config.setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    return config


# DATABASE_URL unset: an SQLite file beside the code (the embedded default for a first look);
# set: PostgreSQL, as in production and CI, e.g. postgres://user:pass@127.0.0.1:5432/jmzhgd
DATABASES = {"default": database(env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
# A streaming standby of the primary (docs/deploy.md §7, "Reads from the standby"): the pages marked
# read-only (jmzhgd/db/routers.py) read from it; unset, everything reads from the primary as before.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {**database(env.str("DATABASE_REPLICA_URL")), "TEST": {"MIRROR": "default"}}
READ_REPLICA_ALIAS = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["jmzhgd.db.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jmzhgd.accounts.validators.ContextWordsValidator", "OPTIONS": {"min_length": 8}},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Sessions: a working day of inactivity ends the session ----------------------------------
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
# …and however busy, a session ends this long after its login (jmzhgd.accounts.middleware).
SESSION_ABSOLUTE_MAX_AGE = env.int("SESSION_ABSOLUTE_MAX_AGE", default=12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Lockout (django-axes): username + IP pair, with a cool-off ------------------------------
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jmzhgd.accounts.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# The address of the pair is the platform's own reading of the client (TRUSTED_PROXY_COUNT), the one
# the rate limits and the audit log use. Without it axes falls back to REMOTE_ADDR (django-ipware is
# not installed), which behind the proxy is the proxy for everyone: the pair would then be the
# username alone, and anyone could lock any account (ASVS 6.1.1, no malicious account lockout).
AXES_CLIENT_IP_CALLABLE = "jmzhgd.core.actor.client_ip"
AXES_VERBOSE = False

# --- Rate limits (jmzhgd.core.ratelimit): per client IP, counted in the database -------------
# URL name (or path prefix) -> (requests, window seconds, methods counted). The lockout above is per
# account; these stop one address from hammering the public and authentication endpoints.
RATE_LIMITS = {
    "accounts:login": (env.int("LOGIN_RATE_LIMIT_PER_MINUTE", default=30), 60, ["POST"]),
    "projects:declare": (env.int("DECLARE_RATE_LIMIT_PER_HOUR", default=10), 3600, ["POST"]),
    "projects:declaration_status": (
        env.int("STATUS_RATE_LIMIT_PER_10_MINUTES", default=30),
        600,
        ["GET", "POST"],
    ),
    # The collection-app login has no captcha: one address may try few passwords, whatever the
    # usernames (the longest matching path prefix applies, so the API's general limit does not).
    "/api/v1/auth/token": (env.int("API_LOGIN_RATE_LIMIT_PER_MINUTE", default=20), 60, ["POST"]),
    # 工人自助查询: per IP here, and per ID number in selfservice.services (SELFSERVICE_ID_RATE_LIMIT).
    "selfservice:lookup": (env.int("SELFSERVICE_RATE_LIMIT_PER_10_MINUTES", default=20), 600, ["POST"]),
    # The wage-line signing link: each identity step may send an SMS (jmzhgd.sms limits it too).
    "selfservice:sign": (env.int("SIGN_RATE_LIMIT_PER_10_MINUTES", default=20), 600, ["POST"]),
    "selfservice:sign_code": (env.int("SIGN_CODE_RATE_LIMIT_PER_10_MINUTES", default=20), 600, ["POST"]),
    # 我的劳动合同 (docs/signatures.md §5): the same identity and code steps as the signing link.
    "selfservice:contracts": (env.int("SIGN_RATE_LIMIT_PER_10_MINUTES", default=20), 600, ["POST"]),
    "selfservice:contracts_code": (env.int("SIGN_CODE_RATE_LIMIT_PER_10_MINUTES", default=20), 600, ["POST"]),
    # 验证签章 parses an uploaded PDF of up to 20 MB: bounded per address.
    "core:verify_seal": (env.int("VERIFY_SEAL_RATE_LIMIT_PER_10_MINUTES", default=30), 600, ["POST"]),
    # The sealed 工资支付表 is drawn and sealed on each download (seconds of CPU): bounded per address.
    "wages:sealed_pdf": (env.int("VERIFY_SEAL_RATE_LIMIT_PER_10_MINUTES", default=30), 600, ["GET"]),
    "selfservice:report": (env.int("SELFSERVICE_REPORT_RATE_LIMIT_PER_HOUR", default=5), 3600, ["POST"]),
    # The spoken captcha runs flite once per request: a person needs a few, a script is held back.
    "captcha-audio": (env.int("CAPTCHA_AUDIO_RATE_LIMIT_PER_MINUTE", default=20), 60, ["GET"]),
    "/api/": (
        env.int("API_RATE_LIMIT_PER_MINUTE", default=6000),
        60,
        ["GET", "POST", "PUT", "PATCH", "DELETE"],
    ),
}

# SMS one-time codes (docs/sms.md): the gateway, and how often one phone / one address may ask.
SMS_BACKEND = env("SMS_BACKEND", default="jmzhgd.sms.backends.ConsoleBackend")
SMS_PHONE_LIMITS = [(1, 60), (env.int("SMS_PHONE_LIMIT_PER_HOUR", default=5), 3600)]
SMS_IP_LIMIT = (env.int("SMS_IP_LIMIT_PER_HOUR", default=20), 3600)
SMS_TENCENT_SECRET_ID = env("SMS_TENCENT_SECRET_ID", default="")
SMS_TENCENT_SECRET_KEY = env("SMS_TENCENT_SECRET_KEY", default="")
SMS_TENCENT_APP_ID = env("SMS_TENCENT_APP_ID", default="")
SMS_TENCENT_SIGN_NAME = env("SMS_TENCENT_SIGN_NAME", default="")
SMS_TENCENT_TEMPLATE_ID = env("SMS_TENCENT_TEMPLATE_ID", default="")
SMS_TENCENT_REGION = env("SMS_TENCENT_REGION", default="ap-guangzhou")
SMS_TENCENT_ENDPOINT = env("SMS_TENCENT_ENDPOINT", default="sms.tencentcloudapi.com")
SMS_TENCENT_SCHEME = env("SMS_TENCENT_SCHEME", default="https")

# The platform's seal on signed PDFs (docs/signatures.md §2): PEM key and certificate, from the
# environment in production. With SEAL_DEV_AUTOCREATE (on with DEBUG) a self-signed pair is made on
# first use under var/seal/, which git ignores; `manage.py make_seal_cert` makes one on purpose.
SEAL_KEY_FILE = env.path("SEAL_KEY_FILE", default=BASE_DIR / "var" / "seal" / "seal-key.pem")
SEAL_CERT_FILE = env.path("SEAL_CERT_FILE", default=BASE_DIR / "var" / "seal" / "seal-cert.pem")
SEAL_KEY_PASSPHRASE = env("SEAL_KEY_PASSPHRASE", default="")
SEAL_DEV_AUTOCREATE = env.bool("SEAL_DEV_AUTOCREATE", default=DEBUG)
# The CJK font embedded in generated PDFs (Debian's fonts-noto-cjk; index 2 of the collection is SC).
PDF_CJK_FONT = env("PDF_CJK_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PDF_CJK_FONT_INDEX = env.int("PDF_CJK_FONT_INDEX", default=2)

# …and per username, across all addresses (jmzhgd.api.endpoints.login): a password guessed from
# many addresses is slowed down without locking the owner out of the web login. (limit, seconds)
API_LOGIN_USERNAME_RATE_LIMIT = (env.int("API_LOGIN_USERNAME_RATE_LIMIT_PER_10_MINUTES", default=10), 600)
# Lookups of one ID number (any IP): (requests, window seconds).
SELFSERVICE_ID_RATE_LIMIT = (env.int("SELFSERVICE_ID_RATE_LIMIT_PER_HOUR", default=10), 3600)

# --- Captcha --------------------------------------------------------------------------------
# There is deliberately no setting here that switches the captcha off: the tests switch the
# library's test mode on from inside the test process (tests/conftest.py).
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 5
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_IMAGE_SIZE = (110, 38)
CAPTCHA_FONT_SIZE = 28
# The spoken captcha for those who cannot see the picture (WCAG 2.1 SC 1.1.1): Debian's `flite`
# speech synthesiser, which runs on the server without a network; empty: found on PATH. Without
# flite the forms offer the picture only.
CAPTCHA_FLITE_PATH = env("CAPTCHA_FLITE_PATH", default="") or shutil.which("flite")
# Widgets render with the project's templates too, so that templates/captcha/ words the captcha
# in Chinese (the library's own template says alt="captcha").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# The platform's own translations come first (locale/zh_Hans: corrections to installed apps' wording).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"]

# --- Static and private media ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media holds faces, ID-card images and contract scans: it is never served at a public URL. Only
# access-checked views stream these files (jmzhgd.core.files), so there is no MEDIA_URL route.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
UPLOAD_IMAGE_MAX_BYTES = env.int("UPLOAD_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
UPLOAD_IMAGE_MAX_PIXELS = env.int("UPLOAD_IMAGE_MAX_PIXELS", default=40_000_000)
# Photos (faces, ID cards, punch photos, 场所码) need far fewer pixels than an A4 scan; decoding costs
# about 10 bytes per pixel at its peak, so 16 MP keeps one photo under ~160 MB of a worker's memory.
UPLOAD_PHOTO_MAX_PIXELS = env.int("UPLOAD_PHOTO_MAX_PIXELS", default=16_000_000)
UPLOAD_DOCUMENT_MAX_BYTES = env.int("UPLOAD_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)

# --- Forms and tables -----------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"  # wide tables scroll in their box
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
PAGE_SIZE = 20

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
# Map: a tile URL template (e.g. Tianditu with its key) and a geocoder; both optional.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
GEOCODER_URL = env.str("GEOCODER_URL", default="")
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0 = trust REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
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

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: ID numbers never reach a log line in clear (jmzhgd/logging_config.py) ----------
LOGGING = logging_config(env.str("LOG_LEVEL", default="INFO"))
