from django.urls import path

from modules.stockops import line_views, views

app_name = "stockops"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<str:kind>", views.document_create, name="create"),
    path("lines/new", line_views.line_new, name="line_new"),
    path("lines/pick", line_views.item_pick, name="item_pick"),
    path("<int:pk>", views.document_detail, name="detail"),
    path("<int:pk>/edit", views.document_edit, name="edit"),
    path("<int:pk>/confirm", views.document_confirm, name="confirm"),
    path("<int:pk>/post", views.document_post, name="post"),
    path("<int:pk>/cancel", views.document_cancel, name="cancel"),
    path("<int:pk>/reverse", views.document_reverse, name="reverse"),
]
