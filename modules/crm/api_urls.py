"""/api/v1/customers/ (names in the "api" namespace, prefixed "customers_")."""

from django.urls import path

from modules.crm.api import CustomerViewSet, DueFollowUpViewSet, FollowUpViewSet

customer_list = CustomerViewSet.as_view({"get": "list"})
customer_detail = CustomerViewSet.as_view({"get": "retrieve"})
customer_statement = CustomerViewSet.as_view({"get": "statement"})
follow_up_list = FollowUpViewSet.as_view({"get": "list", "post": "create"})
follow_up_detail = FollowUpViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})
follow_ups_due = DueFollowUpViewSet.as_view({"get": "list"})

urlpatterns = [
    path("", customer_list, name="customers_list"),
    path("follow-ups/due", follow_ups_due, name="customers_follow_ups_due"),
    path("<int:customer_id>", customer_detail, name="customers_detail"),
    path("<int:customer_id>/statement", customer_statement, name="customers_statement"),
    path("<int:customer_id>/follow-ups", follow_up_list, name="customers_follow_ups"),
    path("<int:customer_id>/follow-ups/<int:pk>", follow_up_detail, name="customers_follow_up_detail"),
]
