"""gunicorn configuration for the platform (see docs/deploy.md).

Sync workers: every request is short and database-bound; (2 × cores) + 1 is gunicorn's own advice.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))  # large exports stream within this
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The access log must not carry ID numbers: query strings can hold search terms, so log the path only.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
