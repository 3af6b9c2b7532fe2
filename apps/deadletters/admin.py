from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.deadletters import services
from apps.deadletters.models import DeadLetter


class OpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("open")), ("resolved", _("resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolution="")
        if self.value() == "resolved":
            return queryset.exclude(resolution="")
        return queryset


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "tenant", "channel", "provider", "attempts", "short_error", "resolution")
    list_filter = (OpenFilter, "channel", "provider", "tenant", "resolution", "created_at")
    search_fields = ("delivery__id", "delivery__recipient_id", "error")
    readonly_fields = [field.name for field in DeadLetter._meta.fields]
    actions = ["replay_selected", "discard_selected"]
    list_select_related = ("tenant",)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, dead_letter):
        return dead_letter.error[:120]

    @admin.action(description=_("Replay selected dead letters"))
    def replay_selected(self, request, queryset):
        self._apply(request, queryset, services.replay,
                    lambda count: ngettext("Replayed %d dead letter.", "Replayed %d dead letters.", count) % count)

    @admin.action(description=_("Discard selected dead letters"))
    def discard_selected(self, request, queryset):
        self._apply(request, queryset, services.discard,
                    lambda count: ngettext("Discarded %d dead letter.", "Discarded %d dead letters.", count) % count)

    def _apply(self, request, queryset, operation, success_message):
        done = 0
        for dead_letter_id in queryset.values_list("pk", flat=True):
            try:
                operation(dead_letter_id, actor=request.user.get_username())
                done += 1
            except services.ReplayError as error:
                self.message_user(request, str(error), level=messages.WARNING)
        if done:
            self.message_user(request, success_message(done), level=messages.SUCCESS)
