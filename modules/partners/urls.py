from django.urls import path

from modules.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("customers/", views.customer_list, name="customer_list"),
    path("new/", views.partner_create, name="partner_create"),
    path("<int:pk>/", views.partner_detail, name="partner_detail"),
    path("<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("<int:pk>/deactivate/", views.partner_deactivate, name="partner_deactivate"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_id>/delete/", views.contact_delete, name="contact_delete"),
]
