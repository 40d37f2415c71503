from django.urls import path, re_path

from mgsite.converters import DAY_REGEX, ID_REGEX
from nutrition.clinic import api

urlpatterns = [
    path("clinic/invitations/", api.InvitationCreateView.as_view(), name="clinic-invitations"),
    path("clinic/clients/", api.ClientListView.as_view(), name="clinic-clients"),
    re_path(
        rf"^clinic/clients/(?P<client_id>{ID_REGEX})/days/(?P<day>{DAY_REGEX})/$",
        api.ClientDayView.as_view(),
        name="clinic-client-day",
    ),
    path(
        "clinic/clients/<id:client_id>/summary/",
        api.ClientSummaryView.as_view(),
        name="clinic-client-summary",
    ),
    path(
        "clinic/clients/<id:client_id>/notes/",
        api.ClientNotesView.as_view(),
        name="clinic-client-notes",
    ),
    path(
        "clinic/clients/<id:client_id>/target/",
        api.ClientTargetView.as_view(),
        name="clinic-client-target",
    ),
    path(
        "clinic/clients/<id:client_id>/labs/",
        api.ClientLabsView.as_view(),
        name="clinic-client-labs",
    ),
    path(
        "clinic/clients/<id:client_id>/metabolic/",
        api.ClientMetabolicView.as_view(),
        name="clinic-client-metabolic",
    ),
    path("me/care-team/", api.CareTeamView.as_view(), name="me-care-team"),
    path("me/care-team/accept/", api.CareTeamAcceptView.as_view(), name="me-care-team-accept"),
    path(
        "me/care-team/<id:relationship_id>/",
        api.CareTeamMemberView.as_view(),
        name="me-care-team-member",
    ),
    path("me/access-log/", api.AccessLogView.as_view(), name="me-access-log"),
    path("me/notes/", api.MyNotesView.as_view(), name="me-notes"),
]
