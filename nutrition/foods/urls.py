from django.urls import path

from nutrition.foods import views

app_name = "foods"

urlpatterns = [
    path("", views.food_search, name="search"),
    path("magnesium-rich/", views.magnesium_rich, name="magnesium-rich"),
    path("<id:food_id>/", views.food_detail, name="detail"),
]
