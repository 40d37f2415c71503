from django.urls import path

from nutrition.transfer import api

urlpatterns = [
    path("me/fhir/", api.MyFhirView.as_view(), name="me-fhir"),
    path(
        "clinic/clients/<id:client_id>/fhir/",
        api.ClientFhirView.as_view(),
        name="clinic-client-fhir",
    ),
]
