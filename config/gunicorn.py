"""gunicorn configuration (`gunicorn -c config/gunicorn.py config.wsgi`), read from the environment.

WEB_CONCURRENCY: worker processes (default 2 × CPUs + 1); BIND (or PORT): the address to listen
on; GUNICORN_TIMEOUT: seconds before a silent worker is restarted. Workers are recycled after
GUNICORN_MAX_REQUESTS requests (with jitter, so they do not all restart at once).
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# All interfaces by default: gunicorn runs behind a load balancer / reverse proxy.
DEFAULT_HOST = os.environ.get("HOST", "0.0.0.0")  # noqa: S104
bind = os.environ.get("BIND") or f"{DEFAULT_HOST}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
accesslog = "-"  # stdout
errorlog = "-"  # stderr
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a load balancer / reverse proxy that sets X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
raw_env = [
    "DJANGO_SETTINGS_MODULE=" + os.environ.get("DJANGO_SETTINGS_MODULE", "config.production")
]
