from django.urls import path

from nutrition.clinic import views

app_name = "clinic"

urlpatterns = [
    path("", views.board, name="board"),
    path("invitations/", views.invite, name="invite"),
    path("invitations/<id:pk>/resend/", views.invitation_resend, name="resend"),
    path("invitations/<id:pk>/cancel/", views.invitation_cancel, name="cancel"),
    path("invitations/<str:token>/", views.invitation_accept, name="accept"),
    path("care-team/<id:pk>/revoke/", views.care_team_revoke, name="revoke"),
    path("clients/<id:client_id>/", views.client_detail, name="client"),
    path("clients/<id:client_id>/notes/", views.client_note, name="client-note"),
    path("clients/<id:client_id>/target/", views.client_target, name="client-target"),
    path("clients/<id:client_id>/labs/", views.client_lab, name="client-lab"),
    path("clients/<id:client_id>/export.csv", views.client_csv, name="client-csv"),
]
