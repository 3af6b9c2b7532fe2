from django.core.management.base import BaseCommand, CommandError

from apps.tenants.models import Tenant


class Command(BaseCommand):
    help = "Create a tenant. Prints its id."

    def add_arguments(self, parser):
        parser.add_argument("name", help="unique tenant name")
        parser.add_argument("--if-missing", action="store_true",
                            help="succeed without changes when the tenant exists")

    def handle(self, *args, name, if_missing, **options):
        name = name.strip()
        if not name:
            raise CommandError("Tenant name must not be empty.")
        max_length = Tenant._meta.get_field("name").max_length
        if len(name) > max_length:
            raise CommandError(f"Tenant name is {len(name)} characters; the maximum is {max_length}.")

        existing = Tenant.objects.filter(name=name).first()
        if existing and not if_missing:
            raise CommandError(f"Tenant {name!r} already exists (id {existing.id}).")
        tenant = existing or Tenant.objects.create(name=name)
        self.stdout.write(str(tenant.id))
