"""Measure accept throughput and enqueue-to-dispatch latency of a running stack.

Run through `make bench`, which starts the stack with `make run` first. Every
request goes to 127.0.0.1; the load is bounded by the counts below and by
DEADLINE_SECONDS. Results are written to docs/benchmarks.md.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from apps.notifications.models import DeliveryAttempt  # noqa: E402

DEADLINE_SECONDS = 300


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="API base URL (must be on 127.0.0.1)")
    parser.add_argument("--key-file", default=str(ROOT / "var" / "demo_api_key"), help="file holding an API key")
    parser.add_argument("--single", type=int, default=1000, help="requests with one recipient (default 1000)")
    parser.add_argument("--fanout-requests", type=int, default=10, help="requests with many recipients (default 10)")
    parser.add_argument("--fanout-size", type=int, default=500, help="recipients per fan-out request (default 500)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"), help="report file")
    args = parser.parse_args()
    if not args.url.startswith(("http://127.0.0.1", "http://localhost")):
        parser.error("--url must point at 127.0.0.1 or localhost")

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {Path(args.key_file).read_text().strip()}"
    recipients = [f"bench-{index}" for index in range(max(args.fanout_size, 1))]
    register_recipients(session, args.url, recipients, args.concurrency)

    single = run_single(session, args, recipients[0])
    fanout = run_fanout(session, args, recipients)
    high = run_high_during_backlog(session, args, recipients[0])

    write_report(args, single, fanout, high)
    print(Path(args.output).read_text())


def register_recipients(session, url, recipients, concurrency):
    def put(recipient_id):
        response = session.put(f"{url}/recipients/{recipient_id}",
                               json={"phone": "+886912000000", "email": f"{recipient_id}@example.com"}, timeout=10)
        response.raise_for_status()

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(put, recipients))


def post_notifications(session, url, bodies, concurrency) -> tuple[list[str], float]:
    def post(body):
        response = session.post(f"{url}/notify", json=body, timeout=30)
        response.raise_for_status()
        return response.json()["notification_id"]

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        ids = list(pool.map(post, bodies))
    return ids, time.monotonic() - started


def run_single(session, args, recipient_id) -> dict:
    bodies = [{"channels": ["sms"], "recipient_ids": [recipient_id], "message": f"bench {index}"}
              for index in range(args.single)]
    ids, elapsed = post_notifications(session, args.url, bodies, args.concurrency)
    latencies, drained = wait_for_dispatch(ids, len(ids))
    return {"requests": len(ids), "deliveries": len(ids), "elapsed": elapsed, "latencies": latencies,
            "drained": drained}


def run_fanout(session, args, recipients) -> dict:
    bodies = [{"channels": ["sms"], "recipient_ids": recipients[: args.fanout_size], "message": f"fan-out {index}"}
              for index in range(args.fanout_requests)]
    ids, elapsed = post_notifications(session, args.url, bodies, min(args.concurrency, 4))
    expected = args.fanout_requests * args.fanout_size
    latencies, drained = wait_for_dispatch(ids, expected)
    return {"requests": len(ids), "deliveries": expected, "elapsed": elapsed, "latencies": latencies,
            "drained": drained}


def run_high_during_backlog(session, args, recipient_id) -> dict:
    """Queue a low-priority backlog, then measure high-priority notifications sent behind it."""
    backlog = [{"channels": ["sms"], "recipient_ids": [f"bench-{index}" for index in range(args.fanout_size)],
                "priority": "low", "message": "backlog"} for _ in range(args.fanout_requests)]
    backlog_ids, _ = post_notifications(session, args.url, backlog, 4)
    high = [{"channels": ["sms"], "recipient_ids": [recipient_id], "priority": "high", "message": "urgent"}
            for _ in range(20)]
    ids, elapsed = post_notifications(session, args.url, high, 4)
    latencies, drained = wait_for_dispatch(ids, len(ids))
    # Let the backlog drain too, so that no queued work outlives the run.
    wait_for_dispatch(backlog_ids, args.fanout_requests * args.fanout_size)
    return {"requests": len(ids), "deliveries": len(ids), "elapsed": elapsed, "latencies": latencies,
            "drained": drained, "backlog": args.fanout_requests * args.fanout_size}


def wait_for_dispatch(notification_ids, expected) -> tuple[list[float], float]:
    """Return each delivery's seconds from acceptance to its first attempt, and the drain time."""
    started = time.monotonic()
    deadline = started + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        attempts = first_attempts(notification_ids)
        if len(attempts) >= expected:
            break
        time.sleep(0.5)
    drained = time.monotonic() - started
    attempts = first_attempts(notification_ids)
    latencies = [(started_at - created_at).total_seconds() for created_at, started_at in attempts]
    return latencies, drained


def first_attempts(notification_ids):
    rows = (DeliveryAttempt.objects.filter(delivery__notification_id__in=notification_ids, number=1)
            .values_list("delivery__created_at", "started_at"))
    return list(rows)


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] + " GiB" if len(memory) > 1 else "unknown memory"
    return f"{os.cpu_count()} cores ({cpu}), {total}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def row(name, result) -> str:
    latencies = result["latencies"]
    rate = result["requests"] / result["elapsed"] if result["elapsed"] else float("nan")
    dispatched = len(latencies)
    return (f"| {name} | {result['requests']} | {dispatched}/{result['deliveries']} | {rate:.0f} | "
            f"{statistics.median(latencies) if latencies else float('nan'):.3f} | {percentile(latencies, 0.95):.3f} | "
            f"{max(latencies) if latencies else float('nan'):.3f} |")


def write_report(args, single, fanout, high):
    command = ("make bench  # scripts/bench.py "
               f"--single {args.single} --fanout-requests {args.fanout_requests} "
               f"--fanout-size {args.fanout_size} --concurrency {args.concurrency}")
    lines = [
        "# Benchmarks",
        "",
        "Numbers from `scripts/bench.py` against the stack that `make run` starts on one machine: gunicorn with",
        "2 workers, one Celery worker per channel with 2 processes, the sandbox provider, PostgreSQL and Redis,",
        "all on 127.0.0.1. Latency is from a delivery's acceptance (its `created_at`) to the start of its first",
        "provider attempt. They are single runs, not averages.",
        "",
        "The target is bursts of 100,000 notifications a minute (about 1,700 deliveries/s) with dispatch latency",
        "under 1 s for high, 5 s for normal and 30 s for low priority. These numbers show where the current",
        "build stands against it: each delivery costs a claim, a provider call and a record, in series.",
        "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Command: `{command}`",
        "",
        "| scenario | requests | dispatched | accepted requests/s | p50 latency (s) | p95 latency (s) | max latency (s) |",
        "|---|---|---|---|---|---|---|",
        row(f"one SMS recipient per request, {args.concurrency} client threads", single),
        row(f"{args.fanout_size} SMS recipients per request", fanout),
        row(f"high priority behind a {high['backlog']}-delivery low backlog", high),
        "",
        f"Fan-out drain: {fanout['deliveries']} deliveries dispatched {fanout['drained']:.1f} s after the last "
        f"request was accepted, about {fanout['deliveries'] / max(fanout['drained'] + fanout['elapsed'], 0.001):.0f} "
        "deliveries/s from first request to last dispatch.",
        "",
    ]
    Path(args.output).write_text("\n".join(lines))


if __name__ == "__main__":
    main()
