"""The transfer app's pages. Included at the site's root: its addresses sit beside the diary's
and the clinic's (`/diary/report.pdf`, `/clinic/clients/<id>/report.pdf`), which cannot link to
them (they are below it) and show them through mgsite.registry instead."""

from django.urls import path

from nutrition.transfer import views

app_name = "transfer"

urlpatterns = [
    path("diary/report.pdf", views.my_report_pdf, name="my-report-pdf"),
    path("diary/report.csv", views.my_report_csv, name="my-report-csv"),
    path(
        "clinic/clients/<id:client_id>/report.pdf",
        views.client_report_pdf,
        name="client-report-pdf",
    ),
    path(
        "clinic/clients/<id:client_id>/report.csv",
        views.client_report_csv,
        name="client-report-csv",
    ),
]
