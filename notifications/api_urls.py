from django.urls import path

from notifications import api

urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read-all/", api.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("notifications/preferences/", api.NotificationPreferenceApi.as_view(), name="api-notification-preferences"),
    path("notifications/<int:pk>/read/", api.NotificationReadApi.as_view(), name="api-notification-read"),
    path("deadline-board/", api.DeadlineBoardApi.as_view(), name="api-deadline-board"),
    path("delegations/", api.DelegationListApi.as_view(), name="api-delegations"),
    path("delegations/<int:pk>/revoke/", api.DelegationRevokeApi.as_view(), name="api-delegation-revoke"),
]
