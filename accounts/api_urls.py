from django.urls import path

from accounts import api

urlpatterns = [
    path("me/profile/", api.ProfileView.as_view(), name="me-profile"),
    path("me/export/", api.ExportView.as_view(), name="me-export"),
]
