from django.contrib import admin
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_prometheus.exports import ExportToDjangoView
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core.health import healthz, readyz
from apps.notifications.views import MetricsView, NotifyView, StatusView
from apps.recipients.views import RecipientView
from apps.webhooks.views import GenericCallbackView

urlpatterns = [
    path("notify", NotifyView.as_view(), name="notify"),
    path("status/<str:notification_id>", StatusView.as_view(), name="status"),
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("recipients/<str:recipient_id>", RecipientView.as_view(), name="recipient"),
    path("webhook/callback", GenericCallbackView.as_view(), name="webhook-callback"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("prometheus/metrics", csrf_exempt(require_safe(ExportToDjangoView)), name="prometheus-django-metrics"),
    path("api/schema", RedirectView.as_view(url="/api/schema/", permanent=True)),
    path("api/docs", RedirectView.as_view(url="/api/docs/", permanent=True)),
    path("admin", RedirectView.as_view(url="/admin/", permanent=True)),
    path("admin/", admin.site.urls),
]

handler400 = "apps.core.errors.json_bad_request"
handler404 = "apps.core.errors.json_not_found"
handler500 = "apps.core.errors.json_server_error"
