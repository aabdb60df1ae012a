from django.urls import path

from admission.core.api import converters  # noqa: F401  (registers <id:…>)
from workflows import api, send_back_views

urlpatterns = [
    path("candidates/nominate/", api.NominateApi.as_view(), name="api-candidate-nominate"),
    path("candidates/<id:candidate_id>/tasks/", api.CaseTasksApi.as_view(), name="api-candidate-tasks"),
    path("candidates/<id:candidate_id>/reopen/", api.CaseReopenApi.as_view(), name="api-candidate-reopen"),
    *api.step_urls(),  # candidates/<id:candidate_id>/steps/<step>/, one path per step with its own fields
    path(
        "candidates/<id:candidate_id>/send-back/",
        send_back_views.CaseSendBackApi.as_view(),
        name="api-candidate-send-back",
    ),
    path("candidates/<id:candidate_id>/history/", api.CaseHistoryApi.as_view(), name="api-candidate-history"),
    path(
        "candidates/<id:candidate_id>/decision-extension/",
        api.DecisionExtendApi.as_view(),
        name="api-candidate-extension",
    ),
]
