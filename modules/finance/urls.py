from django.urls import path

from modules.finance import opening_views, views

app_name = "finance"
urlpatterns = [
    path("", views.index, name="index"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<str:code>/delete", views.account_delete, name="account_delete"),
    path("vouchers/", views.vouchers, name="vouchers"),
    path("vouchers/new", views.voucher_new, name="voucher_new"),
    path("vouchers/export", views.voucher_export, name="voucher_export"),
    path("vouchers/<int:pk>", views.voucher_detail, name="voucher"),
    path("vouchers/<int:pk>/edit", views.voucher_edit, name="voucher_edit"),
    path("vouchers/<int:pk>/<str:action>", views.voucher_action, name="voucher_action"),
    path("attachments/<int:pk>", views.attachment_download, name="attachment"),
    path("periods/", views.periods, name="periods"),
    path("periods/<int:pk>/<str:action>", views.period_action, name="period_action"),
    path("trial-balance/", views.trial_balance, name="trial_balance"),
    path("balance-sheet/", views.balance_sheet, name="balance_sheet"),
    path("income-statement/", views.income_statement, name="income_statement"),
    path("ledger/", views.ledger, name="ledger"),
    path("account-detail/", views.account_detail, name="account_detail"),
    path("cash-journal", views.cash_journal, name="cash_journal"),
    path("receivables/", views.receivables_page, name="receivables"),
    path("payables/", views.payables_page, name="payables"),
    path("vat/", views.vat_summary, name="vat"),
    path("vat/settings", views.vat_settings, name="vat_settings"),
    path("opening/", opening_views.opening_page, name="opening"),
    path("opening/reverse", opening_views.opening_reverse, name="opening_reverse"),
]
