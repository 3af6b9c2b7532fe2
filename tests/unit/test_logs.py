import json
import logging
import subprocess
import sys

from apps.core.logs import JsonFormatter


def test_json_formatter_fields():
    record = logging.LogRecord("apps.notifications.delivery", logging.WARNING, __file__, 1,
                               "delivery %s failed", ("d-1",), None)

    entry = json.loads(JsonFormatter().format(record))

    assert entry["level"] == "WARNING"
    assert entry["logger"] == "apps.notifications.delivery"
    assert entry["message"] == "delivery d-1 failed"
    assert "exception" not in entry


def test_json_formatter_exception():
    try:
        raise ValueError("bad value")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "caught", (), sys.exc_info())

    entry = json.loads(JsonFormatter().format(record))

    assert "ValueError: bad value" in entry["exception"]


def test_invalid_log_format_stops_start():
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
                               "django.setup()"],
        env={"NOTIFIER_LOG_FORMAT": "xml", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
    )

    assert result.returncode != 0
    assert "NOTIFIER_LOG_FORMAT must be one of text, json, got 'xml'" in result.stderr
