"""gunicorn configuration for the platform (see docs/deploy.md).

Sync workers: every request is short and database-bound; (2 × cores) + 1 is gunicorn's own advice.
"""

import gc
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
# nginx keeps the access log (deploy/nginx.conf); gunicorn's own would repeat every line of it, at
# a cost per request that showed in the API benchmark. GUNICORN_ACCESS_LOG=- turns it on (without
# nginx in front, for instance).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# The access log must not carry ID numbers: query strings can hold search terms, so log the path only.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'


def post_worker_init(worker):
    """Once the application is loaded in a worker: leave the objects it loaded out of garbage
    collection (gc.freeze: they live as long as the worker) and collect the youngest generation
    after 50,000 new container objects instead of 700. A batch of punches allocates tens of
    thousands of short-lived objects, and the default made Python stop to scan for cycles dozens of
    times per request: about a fifth of a worker's CPU at full load in `make bench`. Garbage in
    cycles is still collected, a little later; memory stays bounded (max_requests recycles workers)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
