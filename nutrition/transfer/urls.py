from django.urls import path

from nutrition.transfer import views

app_name = "transfer"

urlpatterns = [
    path("import/", views.imports, name="imports"),
    path("import/<id:pk>/", views.preview, name="import"),
    path("import/<id:pk>/commit/", views.commit, name="commit"),
    path("import/<id:pk>/undo/", views.undo, name="undo"),
    path("import/<id:pk>/rows/<id:row_id>/", views.change_row, name="row"),
    path("import/<id:pk>/rows/<id:row_id>/foods/", views.row_foods, name="row-foods"),
]
