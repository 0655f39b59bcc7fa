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

# Map: a tile URL template (e.g. Tianditu with its key) and a geocoder; both optional.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
GEOCODER_URL = env.str("GEOCODER_URL", default="")
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0 = trust REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- The platform: its rules, background jobs, 数据对接 and the device API (settings_platform.py)
from jmzhgd.settings_platform import *  # noqa: E402, F403

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
