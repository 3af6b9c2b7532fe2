"""Gunicorn settings of the API process (`gunicorn -c config/gunicorn.py`).

Several gunicorn workers each count their own Prometheus metrics, so they
write them to PROMETHEUS_MULTIPROC_DIR and /prometheus/metrics sums the files.
The directory is emptied at start, and a dead worker's live gauges are
removed when it exits.
"""

import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"

PROMETHEUS_DIRECTORY = Path(__file__).resolve().parent.parent / "var" / "prometheus"


def on_starting(server):
    directory = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(PROMETHEUS_DIRECTORY)))
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    server.log.info("Prometheus metrics of the workers go to %s", directory)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
