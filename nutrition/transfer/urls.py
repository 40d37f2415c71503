"""The transfer app's pages. Included at the site's root: its addresses sit beside the diary's
and the clinic's (`/diary/import/`, `/diary/report.pdf`, `/clinic/clients/<id>/report.pdf`),
which cannot link to them (they are below it) and show them through mgsite.registry instead."""

from django.urls import path

from nutrition.transfer import report_views, views

app_name = "transfer"

urlpatterns = [
    path("diary/report.pdf", report_views.my_report_pdf, name="my-report-pdf"),
    path("diary/report.csv", report_views.my_report_csv, name="my-report-csv"),
    path(
        "clinic/clients/<id:client_id>/report.pdf",
        report_views.client_report_pdf,
        name="client-report-pdf",
    ),
    path(
        "clinic/clients/<id:client_id>/report.csv",
        report_views.client_report_csv,
        name="client-report-csv",
    ),
    path("diary/import/", views.imports, name="imports"),
    path("diary/import/<id:pk>/", views.preview, name="import"),
    path("diary/import/<id:pk>/commit/", views.commit, name="commit"),
    path("diary/import/<id:pk>/undo/", views.undo, name="undo"),
    path("diary/import/<id:pk>/rows/<id:row_id>/", views.change_row, name="row"),
    path("diary/import/<id:pk>/rows/<id:row_id>/foods/", views.row_foods, name="row-foods"),
]
