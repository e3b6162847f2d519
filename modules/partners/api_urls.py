"""/api/v1/partners/: partners and their contacts (names in the "api" namespace, prefixed "partners_")."""

from django.urls import path

from modules.partners.api import ContactViewSet, ItemSupplierViewSet, PartnerViewSet, SupplierItemViewSet

partner_list = PartnerViewSet.as_view({"get": "list", "post": "create"})
partner_detail = PartnerViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
partner_deactivate = PartnerViewSet.as_view({"post": "deactivate"})
partner_activate = PartnerViewSet.as_view({"post": "activate"})
contact_list = ContactViewSet.as_view({"get": "list", "post": "create"})
contact_detail = ContactViewSet.as_view({"patch": "partial_update", "delete": "destroy"})
supplier_item_list = SupplierItemViewSet.as_view({"get": "list", "post": "create"})
supplier_item_detail = SupplierItemViewSet.as_view({"patch": "partial_update", "delete": "destroy"})
item_supplier_list = ItemSupplierViewSet.as_view({"get": "list"})

urlpatterns = [
    path("", partner_list, name="partners_list"),
    path("item-suppliers", item_supplier_list, name="partners_item_suppliers"),
    path("<int:pk>", partner_detail, name="partners_detail"),
    path("<int:pk>/deactivate", partner_deactivate, name="partners_deactivate"),
    path("<int:pk>/activate", partner_activate, name="partners_activate"),
    path("<int:partner_id>/contacts", contact_list, name="partners_contacts"),
    path("<int:partner_id>/contacts/<int:pk>", contact_detail, name="partners_contact_detail"),
    path("<int:partner_id>/items", supplier_item_list, name="partners_items"),
    path("<int:partner_id>/items/<int:pk>", supplier_item_detail, name="partners_item_detail"),
]
