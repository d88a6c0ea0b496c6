"""gunicorn's settings for Palmarès (palmares-web.service: `gunicorn -c deploy/gunicorn.conf.py`).

Sync workers: each request is a short transaction; slow clients never reach gunicorn, as nginx
buffers whole requests (uploads included) and whole answers.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# 2 × cores + 1 is gunicorn's rule of thumb; 3 suits the 1-2 core servers an association rents.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Storing a 1 GB video (read from nginx, ffprobe, SHA-256, copy to MEDIA_ROOT) must fit;
# nginx's proxy_read_timeout is a little longer (deploy/nginx/palmares.conf).
timeout = 120
graceful_timeout = 30
# A worker is replaced after about 1,000 requests: a slow leak never grows for weeks.
max_requests = 1000
max_requests_jitter = 100
# The workers' heartbeat files in memory: a busy disk (a backup) never looks like a hung worker.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn's advice: a RAM-backed folder
# nginx keeps the access log (with the request id); gunicorn's own messages go to standard
# error (journald), one JSON object per line like the application's.
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "palmares.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def post_worker_init(worker) -> None:
    """Once the worker has loaded the site: what it loaded is frozen out of the garbage
    collector's walks (palmares.memory)."""
    from palmares.memory import settle

    settle()
