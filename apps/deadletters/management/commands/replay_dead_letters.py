import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.deadletters import services
from apps.deadletters.models import DeadLetter
from apps.tenants.models import Tenant
from notifier.channels import channel_names

DURATION = re.compile(r"^(\d+)([smhd])$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


MAX_DURATION = timedelta(days=3650)
MAX_LIMIT = 100_000


def parse_duration(value: str) -> timedelta:
    match = DURATION.fullmatch(value)
    if not match:
        raise CommandError(f"Invalid duration {value!r}; use a number and s, m, h or d, such as 30m or 2d.")
    seconds = int(match.group(1)) * UNIT_SECONDS[match.group(2)]
    if seconds > MAX_DURATION.total_seconds():
        raise CommandError(f"Duration {value!r} is longer than the maximum of {MAX_DURATION.days}d.")
    return timedelta(seconds=seconds)


class Command(BaseCommand):
    help = "Replay open dead letters, filtered by tenant, channel and age."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="tenant name")
        parser.add_argument("--channel", help="channel name, such as email")
        parser.add_argument("--older-than", help="only dead letters at least this old, such as 10m")
        parser.add_argument("--newer-than", help="only dead letters at most this old, such as 7d")
        parser.add_argument("--limit", type=int, default=1000,
                            help=f"replay at most this many, 1 to {MAX_LIMIT} (default 1000)")
        parser.add_argument("--dry-run", action="store_true", help="list what would be replayed and change nothing")

    def handle(self, *args, **options):
        for name in ("tenant", "channel", "older_than", "newer_than"):
            value = options[name]
            if value is not None and not value.strip():
                raise CommandError(f"--{name.replace('_', '-')} must not be empty; leave it out to match all.")
        if not 1 <= options["limit"] <= MAX_LIMIT:
            raise CommandError(f"--limit must be from 1 to {MAX_LIMIT}, got {options['limit']}.")

        dead_letters = DeadLetter.objects.filter(resolution="").select_related("tenant").order_by("created_at")
        now = timezone.now()

        if options["tenant"] is not None:
            tenant = Tenant.objects.filter(name=options["tenant"]).first()
            if tenant is None:
                raise CommandError(f"Tenant {options['tenant']!r} not found.")
            dead_letters = dead_letters.filter(tenant=tenant)
        if options["channel"] is not None:
            if options["channel"] not in channel_names():
                raise CommandError(f"Unknown channel {options['channel']!r}; registered: {', '.join(channel_names())}.")
            dead_letters = dead_letters.filter(channel=options["channel"])
        if options["older_than"] is not None:
            dead_letters = dead_letters.filter(created_at__lte=now - parse_duration(options["older_than"]))
        if options["newer_than"] is not None:
            dead_letters = dead_letters.filter(created_at__gte=now - parse_duration(options["newer_than"]))

        selected = list(dead_letters[: options["limit"]])
        verb = "Would replay" if options["dry_run"] else "Replaying"
        self.stdout.write(f"{verb} {len(selected)} dead letter(s).")

        replayed = 0
        for dead_letter in selected:
            line = (f"dead letter {dead_letter.pk}: delivery {dead_letter.delivery_id}, tenant {dead_letter.tenant.name}, "
                    f"{dead_letter.channel}, {dead_letter.attempts} attempts, created {dead_letter.created_at:%Y-%m-%d %H:%M:%S}")
            if options["dry_run"]:
                self.stdout.write(line)
                continue
            try:
                services.replay(dead_letter.pk, actor="replay_dead_letters")
            except services.ReplayError as error:
                self.stderr.write(f"skipped {line}: {error}")
                continue
            replayed += 1
            self.stdout.write(f"replayed {line}")

        if not options["dry_run"]:
            self.stdout.write(f"Replayed {replayed} of {len(selected)}.")
