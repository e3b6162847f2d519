from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "modules.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self):
        from modules.inventory.sources import source_register
        from modules.reorder.demand import sale_source_register
        from modules.sales.enums import (
            RETAIL_SALE,
            SALES_DELIVERY,
            SALES_INVOICE,
            SALES_ORDER,
            SALES_RECEIPT,
            SALES_RETURN,
        )

        # The workspace already lists "Sales" (key "sales", url_name "sales:index"); it lights up by itself.
        source_register(RETAIL_SALE, _("Retail sale"), url_name="sales:receipt")
        source_register(SALES_DELIVERY, _("Sales delivery"), url_name="sales:delivery_detail")
        source_register(SALES_RETURN, _("Sales return"), url_name="sales:return_detail")
        # The partner ledger names its entries' documents, and reservations their holder, the same way.
        source_register(SALES_INVOICE, _("Sales invoice"), url_name="sales:invoice_detail")
        source_register(SALES_RECEIPT, _("Receipt of payment"), url_name="sales:receipt_detail")
        source_register(SALES_ORDER, _("Sales order"), url_name="sales:order_detail")
        # Deliveries are sales for the replenishment's sales velocity; returns (moves in) net them down.
        sale_source_register(SALES_DELIVERY)
        sale_source_register(SALES_RETURN)
        # Printable: /print/<doc_type>/<id>.pdf (the retail receipt's builder is the printing module's own).
        from modules.printing.registry import print_register
        from modules.sales import printing

        print_register(SALES_ORDER, printing.sales_order_print, permission="sales.view_salesorder")
        print_register(SALES_DELIVERY, printing.sales_delivery_print, permission="sales.view_salesdelivery")
        print_register(SALES_INVOICE, printing.sales_invoice_print, permission="sales.view_salesinvoice")
        print_register(SALES_RECEIPT, printing.sales_receipt_print, permission="sales.view_salesreceipt")
