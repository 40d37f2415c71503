from django.urls import path

from nutrition.clinic import views

app_name = "clinic"

urlpatterns = [
    path("", views.board, name="board"),
    path("invitations/", views.invite, name="invite"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="resend"),
    path("invitations/<int:pk>/cancel/", views.invitation_cancel, name="cancel"),
    path("invitations/<str:token>/", views.invitation_accept, name="accept"),
    path("care-team/<int:pk>/revoke/", views.care_team_revoke, name="revoke"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
    path("clients/<int:client_id>/notes/", views.client_note, name="client-note"),
    path("clients/<int:client_id>/target/", views.client_target, name="client-target"),
    path("clients/<int:client_id>/export.csv", views.client_csv, name="client-csv"),
]
