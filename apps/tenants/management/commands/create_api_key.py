from django.core.management.base import BaseCommand, CommandError

from apps.tenants.models import ApiKey, Tenant


class Command(BaseCommand):
    help = "Create an API key for a tenant. The key is printed once, alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("tenant_name", help="name of an existing tenant")
        parser.add_argument("--name", default="", help="label shown in the admin")
        parser.add_argument("--replace", action="store_true",
                            help="deactivate the tenant's other active keys with the same --name first")

    def handle(self, *args, tenant_name, name, replace, **options):
        tenant_name = tenant_name.strip()
        max_length = ApiKey._meta.get_field("name").max_length
        if len(name) > max_length:
            raise CommandError(f"--name is {len(name)} characters; the maximum is {max_length}.")

        tenant = Tenant.objects.filter(name=tenant_name).first()
        if tenant is None:
            raise CommandError(f"Tenant {tenant_name!r} not found; create it with `manage.py create_tenant`.")

        if replace:
            replaced = ApiKey.objects.filter(tenant=tenant, name=name, is_active=True).update(is_active=False)
            if replaced:
                self.stderr.write(f"Deactivated {replaced} earlier key(s) named {name!r}.")
        api_key, raw_key = ApiKey.objects.issue(tenant, name=name)
        self.stderr.write(f"Created API key {api_key.prefix}… for tenant {tenant.name}. Store it now: "
                          "only its hash is kept.")
        self.stdout.write(raw_key)
