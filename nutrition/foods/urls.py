app_name = "foods"

urlpatterns: list = []
