from django.urls import path

from nutrition.health import views

app_name = "health"

urlpatterns = [
    path("", views.record, name="record"),
    path("charts/", views.result_charts, name="charts"),
    path("results/<id:pk>/", views.result_edit, name="result-edit"),
    path("results/<id:pk>/delete/", views.result_delete, name="result-delete"),
]
