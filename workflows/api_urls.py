from django.urls import path

from workflows import api

urlpatterns = [
    path("candidates/nominate/", api.NominateApi.as_view(), name="api-candidate-nominate"),
    path("candidates/<int:pk>/tasks/", api.CaseTasksApi.as_view(), name="api-candidate-tasks"),
    path("candidates/<int:pk>/reopen/", api.CaseReopenApi.as_view(), name="api-candidate-reopen"),
    path("candidates/<int:pk>/steps/<str:step>/", api.CaseStepApi.as_view(), name="api-candidate-step"),
    path("candidates/<int:pk>/history/", api.CaseHistoryApi.as_view(), name="api-candidate-history"),
    path("candidates/<int:pk>/decision-extension/", api.DecisionExtendApi.as_view(), name="api-candidate-extension"),
]
