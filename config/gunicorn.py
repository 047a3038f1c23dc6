"""gunicorn configuration (`gunicorn -c config/gunicorn.py config.wsgi`), read from the environment.

WEB_CONCURRENCY: worker processes (default 2 × CPUs + 1); BIND (or PORT): the address to listen
on; GUNICORN_TIMEOUT: seconds before a silent worker is restarted. Workers are recycled after
GUNICORN_MAX_REQUESTS requests (with jitter, so they do not all restart at once).

Threaded workers (`gthread`, GUNICORN_THREADS threads each, default 8; GUNICORN_WORKER_CLASS=sync
and GUNICORN_THREADS=1 give the former model): a page served from the cache (a Redis read, no
SQL) is not queued behind a render of another page in the same process (issue 19, campaign: the
other charter's cached pages fell to a few % of their rate while one charter was re-rendered;
with 4 threads a worker's threads could all be rendering, 8 leaves one per connection of the
bench's readers). Each thread has its own database connection, kept CONN_MAX_AGE seconds (60):
up to workers × threads connections per server (5 × 8 = 40 on 2 CPUs), under PostgreSQL's
default max_connections of 100 for two app servers; lower GUNICORN_THREADS (or raise
max_connections) beyond that. With threads, GUNICORN_TIMEOUT restarts a worker whose main loop
is stuck, not a slow request: pandoc and LibreOffice keep their own limits
(PANDOC_TIMEOUT_SECONDS, LIBREOFFICE_TIMEOUT_SECONDS), and a killed worker still takes pandoc
along (PR_SET_PDEATHSIG: the pool's threads live as long as the worker).
GUNICORN_ACCESS_LOG: where the access log goes (default « - », stdout; empty: none).
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# All interfaces by default: gunicorn runs behind a load balancer / reverse proxy.
DEFAULT_HOST = os.environ.get("HOST", "0.0.0.0")  # noqa: S104
bind = os.environ.get("BIND") or f"{DEFAULT_HOST}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # « - »: stdout
errorlog = "-"  # stderr
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a load balancer / reverse proxy that sets X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
raw_env = [
    "DJANGO_SETTINGS_MODULE=" + os.environ.get("DJANGO_SETTINGS_MODULE", "config.production")
]
