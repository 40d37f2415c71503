from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("time-zone/", views.timezone_offer, name="timezone-offer"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete_account, name="delete"),
]
