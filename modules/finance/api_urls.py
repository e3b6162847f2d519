from django.urls import path
from rest_framework.routers import SimpleRouter

from modules.finance import api

router = SimpleRouter(trailing_slash=False)
router.register("accounts", api.AccountViewSet, basename="finance-account")
router.register("entries", api.EntryViewSet, basename="finance-entry")

urlpatterns = [
    *router.urls,
    path("trial-balance", api.TrialBalanceView.as_view(), name="finance-trial-balance"),
    path("balance-sheet", api.BalanceSheetView.as_view(), name="finance-balance-sheet"),
    path("income-statement", api.IncomeStatementView.as_view(), name="finance-income-statement"),
    path("aging", api.AgingView.as_view(), name="finance-aging"),
    path("cash-journal", api.CashJournalView.as_view(), name="finance-cash-journal"),
    path("vat", api.VatView.as_view(), name="finance-vat"),
    path("voucher-export", api.VoucherExportView.as_view(), name="finance-voucher-export"),
    path("opening", api.OpeningView.as_view(), name="finance-opening"),
]
