"""Settings for the test process and the worker processes the tests start.

The broker and cache use Redis databases of their own, so a test run never
takes or drops the messages of a local `make run`.
"""

import os

os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")

from config.settings import *  # noqa: E402,F401,F403

# WhiteNoise warns on every request when STATIC_ROOT is missing, as it is in a fresh clone.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
