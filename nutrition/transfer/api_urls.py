from django.urls import path

from nutrition.transfer import api, api_imports

urlpatterns = [
    path("me/fhir/", api.MyFhirView.as_view(), name="me-fhir"),
    path(
        "clinic/clients/<id:client_id>/fhir/",
        api.ClientFhirView.as_view(),
        name="clinic-client-fhir",
    ),
    path("me/imports/", api_imports.ImportListView.as_view(), name="me-imports"),
    path("me/imports/<id:pk>/", api_imports.ImportDetailView.as_view(), name="me-import"),
    path(
        "me/imports/<id:pk>/commit/",
        api_imports.ImportCommitView.as_view(),
        name="me-import-commit",
    ),
    path(
        "me/imports/<id:pk>/rows/", api_imports.ImportRowListView.as_view(), name="me-import-rows"
    ),
    path(
        "me/imports/<id:pk>/rows/<id:row_id>/",
        api_imports.ImportRowView.as_view(),
        name="me-import-row",
    ),
]
