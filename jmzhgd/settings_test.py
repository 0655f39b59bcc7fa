"""Settings for the test suite: the real settings with fixed test keys and faster hashing.

Nothing here relaxes a check the platform makes (captcha, lockout, scoping); the captcha's test
mode is switched on from inside the test process only (tests/conftest.py).
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("PII_ENCRYPTION_KEY", "dGVzdC1vbmx5LXBpaS1rZXktMDAwMDAwMDAwMDAwMDA=")
os.environ.setdefault("PII_DIGEST_KEY", "test-only-digest-key")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="jmzhgd-test-media-"))

from .settings import *  # noqa: E402,F403
from .settings import DATABASES, STORAGES  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared memory: the browser tests' threaded live server then gets one connection
    # per thread with normal locking, as a real SQLite deployment would.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.mkdtemp(prefix="jmzhgd-test-db-"), "test.sqlite3")
    }

# The standby's alias, a mirror of the test database, for the router's tests (tests/core/test_replica_router.py):
# the router leaves it alone unless a test names it in READ_REPLICA_ALIAS.
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Jobs run synchronously inside the test process (the framework's immediate backend); the
# "database" backend is the real queue, which tests/jobs/test_worker.py drains with a real
# `manage.py db_worker` process. Processes started by a test that must queue for a real worker
# (the bench smoke run's gunicorn) set JOBS_RUN_IMMEDIATELY=0.
if os.environ.get("JOBS_RUN_IMMEDIATELY", "1") == "1":
    TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }

SMS_BACKEND = "jmzhgd.sms.backends.MemoryBackend"

# A self-signed seal made on first use in a temporary folder: the tests never read a real key.
_SEAL_DIR = tempfile.mkdtemp(prefix="jmzhgd-test-seal-")
SEAL_KEY_FILE = os.path.join(_SEAL_DIR, "seal-key.pem")
SEAL_CERT_FILE = os.path.join(_SEAL_DIR, "seal-cert.pem")
SEAL_KEY_PASSPHRASE = ""
SEAL_DEV_AUTOCREATE = True
