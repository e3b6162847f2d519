"""The document types of every module, registered from NumberingConfig.ready().

One central list, from each module's own constants, so the settings page knows every type that takes a
number. A module added later may instead call `doc_type_register` from its own AppConfig.ready().
"""

from django.utils.translation import pgettext_lazy

from modules.numbering.registry import doc_type_register


def doc_types_register() -> None:
    from modules.purchasing import enums as purchasing
    from modules.sales import enums as sales
    from modules.stockcount import services as stockcount
    from modules.stockops.enums import KIND_PREFIX, DocumentKind

    doc_type_register(
        purchasing.PURCHASE_ORDER, pgettext_lazy("doc type", "Purchase order"), purchasing.PURCHASE_ORDER_PREFIX
    )
    doc_type_register(
        purchasing.PURCHASE_RECEIPT, pgettext_lazy("doc type", "Purchase receipt"), purchasing.PURCHASE_RECEIPT_PREFIX
    )
    doc_type_register(
        purchasing.PURCHASE_BILL, pgettext_lazy("doc type", "Supplier bill"), purchasing.PURCHASE_BILL_PREFIX
    )
    doc_type_register(
        purchasing.PURCHASE_PAYMENT,
        pgettext_lazy("doc type", "Payment to a supplier"),
        purchasing.PURCHASE_PAYMENT_PREFIX,
    )
    doc_type_register(
        purchasing.PURCHASE_RETURN, pgettext_lazy("doc type", "Purchase return"), purchasing.PURCHASE_RETURN_PREFIX
    )
    doc_type_register(sales.RETAIL_SALE, pgettext_lazy("doc type", "Retail sale"), sales.RETAIL_SALE_PREFIX)
    doc_type_register(sales.SALES_QUOTATION, pgettext_lazy("doc type", "Quotation"), sales.SALES_QUOTATION_PREFIX)
    doc_type_register(sales.SALES_ORDER, pgettext_lazy("doc type", "Sales order"), sales.SALES_ORDER_PREFIX)
    doc_type_register(sales.SALES_DELIVERY, pgettext_lazy("doc type", "Delivery"), sales.SALES_DELIVERY_PREFIX)
    doc_type_register(sales.SALES_INVOICE, pgettext_lazy("doc type", "Sales invoice"), sales.SALES_INVOICE_PREFIX)
    doc_type_register(
        sales.SALES_RECEIPT, pgettext_lazy("doc type", "Receipt from a customer"), sales.SALES_RECEIPT_PREFIX
    )
    doc_type_register(sales.SALES_RETURN, pgettext_lazy("doc type", "Sales return"), sales.SALES_RETURN_PREFIX)
    labels = {
        DocumentKind.STOCK_IN: pgettext_lazy("doc type", "Other stock receipt"),
        DocumentKind.STOCK_OUT: pgettext_lazy("doc type", "Other stock issue"),
        DocumentKind.TRANSFER: pgettext_lazy("doc type", "Stock transfer"),
        DocumentKind.ADJUSTMENT: pgettext_lazy("doc type", "Stock adjustment"),
    }
    for kind, label in labels.items():
        doc_type_register(str(kind.value), label, KIND_PREFIX[kind])
    doc_type_register(stockcount.DOC_TYPE, pgettext_lazy("doc type", "Stock count"), stockcount.NUMBER_PREFIX)
