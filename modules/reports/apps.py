from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "modules.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from django.utils.translation import pgettext_lazy

        from modules.reports import sources
        from modules.workspace.navigation import nav_register

        # The workspace's default entry, now only for those who may read the reports (costs and margins).
        nav_register(
            key="reports",
            label=pgettext_lazy("nav", "Reports"),
            url_name="reports:index",
            order=50,
            permission="reports.view_report",
        )
        sources.sales_source_register("retail_sale", sources.retail_sales)
        sources.purchase_source_register("purchase_receipt", sources.purchase_receipts)
        sources.purchase_source_register("purchase_return", sources.purchase_returns)
        # Sales orders' deliveries and returns (modules.sales cannot know the reports: it registers nothing).
        from modules.sales.selectors import delivery_report_rows, return_report_rows

        sources.sales_source_register("sales_delivery", delivery_report_rows)
        sources.sales_source_register("sales_return", return_report_rows)
