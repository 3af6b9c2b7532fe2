from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlettersConfig(AppConfig):
    name = "apps.deadletters"
    label = "deadletters"
    verbose_name = _("dead letters")
