"""The notification pages mounted in the viewflow Site (menu entries and URL names notifications:<viewset>:<page>)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, AppMenuMixin, Viewset

from notifications import views


class InboxViewset(AppMenuMixin, Viewset):
    title = _("Notifications")
    icon = "notifications"
    index_path = path("", views.inbox, name="index")
    read_path = path("<int:pk>/read/", views.mark_read, name="read")
    read_all_path = path("read-all/", views.mark_all_read, name="read_all")
    preferences_path = path("preferences/", views.preferences, name="preferences")


class BoardViewset(AppMenuMixin, Viewset):
    title = _("Deadline board")
    icon = "alarm"
    index_path = path("", views.board, name="index")


class DelegationViewset(AppMenuMixin, Viewset):
    title = _("Delegations")
    icon = "swap_horiz"
    index_path = path("", views.delegations, name="index")
    revoke_path = path("<int:pk>/revoke/", views.delegation_revoke, name="revoke")


def notifications_application() -> Application:
    return Application(
        title=_("Notifications and deadlines"),
        icon="notifications",
        app_name="notifications",
        viewsets=[
            InboxViewset(app_name="inbox"),
            BoardViewset(app_name="board"),
            DelegationViewset(app_name="delegations"),
        ],
    )
