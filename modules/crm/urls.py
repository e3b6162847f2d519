from django.urls import path

from modules.crm import views

app_name = "crm"
urlpatterns = [
    path("", views.customer_list, name="index"),
    path("due", views.due_list, name="due"),
    # The dashboard card, a fragment the dashboard loads (hx-get, hx-trigger="load").
    path("due/card", views.due_card, name="due_card"),
    path("<int:pk>", views.customer_detail, name="detail"),
    path("<int:pk>/follow-ups", views.follow_up_add, name="follow_up_add"),
    path("<int:pk>/statement", views.statement, name="statement"),
    path("<int:pk>/statement.xlsx", views.statement_export, name="statement_xlsx"),
    path("follow-ups/<int:follow_up_id>/done", views.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:follow_up_id>/delete", views.follow_up_delete, name="follow_up_delete"),
]
