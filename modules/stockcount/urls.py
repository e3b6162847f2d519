from django.urls import path

from modules.stockcount import views

app_name = "stockcount"
urlpatterns = [
    path("", views.index, name="index"),
    path("new", views.count_create, name="create"),
    path("<int:pk>", views.count_detail, name="detail"),
    path("<int:pk>/freeze", views.count_freeze, name="freeze"),
    path("<int:pk>/scan", views.count_scan, name="scan"),
    path("<int:pk>/lines", views.line_add, name="line_add"),
    path("<int:pk>/lines/<int:line_id>/counted", views.line_counted, name="line_counted"),
    path("<int:pk>/post", views.count_post, name="post"),
    path("<int:pk>/cancel", views.count_cancel, name="cancel"),
    path("<int:pk>/reverse", views.count_reverse, name="reverse"),
]
