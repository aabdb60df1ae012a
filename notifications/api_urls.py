from django.urls import path

from admission.core.api import converters  # noqa: F401  (registers <id:…>)
from notifications import api

urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read-all/", api.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("notifications/preferences/", api.NotificationPreferenceApi.as_view(), name="api-notification-preferences"),
    path("notifications/<id:notification_id>/read/", api.NotificationReadApi.as_view(), name="api-notification-read"),
    path("deadline-board/", api.DeadlineBoardApi.as_view(), name="api-deadline-board"),
    path("delegations/", api.DelegationListApi.as_view(), name="api-delegations"),
    path("delegations/<id:delegation_id>/revoke/", api.DelegationRevokeApi.as_view(), name="api-delegation-revoke"),
]
