"""Roles are permission groups. Which permissions a role holds is a rule over
(app label, action), so a module added later is covered when roles are re-synced."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Role:
    OWNER = "owner"
    MANAGER = "manager"
    PURCHASING = "purchasing"
    SALES = "sales"
    WAREHOUSE = "warehouse"
    ACCOUNTANT = "accountant"


ROLE_LABELS = {
    Role.OWNER: _("Owner"),
    Role.MANAGER: _("Manager"),
    Role.PURCHASING: _("Purchasing"),
    Role.SALES: _("Sales"),
    Role.WAREHOUSE: _("Warehouse"),
    Role.ACCOUNTANT: _("Accountant"),
}

# Stock documents (stockops) and counts (stockcount) go with the ledger (inventory): whoever may move stock
# may write them.
BUSINESS_APPS = frozenset(
    {
        "catalog",
        "partners",
        "inventory",
        "stockops",
        "stockcount",
        "reorder",
        "purchasing",
        "sales",
        "finance",
        "reports",
        "pricing",
        "crm",
    }
)
# Who may manage people and API keys: the owner only (the manager runs the shop, not its access).
ADMIN_APPS = frozenset({"identity", "api", "auth"})


@dataclass(frozen=True)
class RoleRule:
    full_apps: frozenset[str] = frozenset()
    view_apps: frozenset[str] = frozenset()
    # Single permissions beyond those, as "app_label.codename".
    extra: frozenset[str] = frozenset()

    def grants(self, app_label: str, codename: str) -> bool:
        if app_label in self.full_apps or f"{app_label}.{codename}" in self.extra:
            return True
        return codename.startswith("view_") and app_label in self.view_apps


ROLE_RULES: dict[str, RoleRule] = {
    Role.OWNER: RoleRule(full_apps=BUSINESS_APPS | ADMIN_APPS | {"workspace"}),
    Role.MANAGER: RoleRule(full_apps=BUSINESS_APPS | {"workspace"}, view_apps=frozenset({"identity"})),
    # Reorder rules (min/max, preferred supplier) are kept by those who keep the stock and those who buy it.
    # Prices (pricing) are changed by the owner and the manager only; every role reads them. Customers'
    # follow-ups (crm) are written by those who may change partners, read by the others.
    Role.PURCHASING: RoleRule(
        full_apps=frozenset({"purchasing", "partners", "reorder", "crm"}),
        view_apps=frozenset({"catalog", "inventory", "stockops", "stockcount", "reports", "pricing"}),
    ),
    Role.SALES: RoleRule(
        full_apps=frozenset({"sales", "partners", "crm"}),
        view_apps=frozenset({"catalog", "inventory", "stockops", "stockcount", "reorder", "reports", "pricing"}),
    ),
    Role.WAREHOUSE: RoleRule(
        full_apps=frozenset({"inventory", "stockops", "stockcount", "reorder"}),
        view_apps=frozenset({"catalog", "purchasing", "sales", "partners", "pricing", "crm"}),
        # The goods arrive at the warehouse: it books them in against the order (采购入库).
        extra=frozenset({"purchasing.receive_purchaseorder"}),
    ),
    # Read-only on everything, full on finance.
    Role.ACCOUNTANT: RoleRule(full_apps=frozenset({"finance"}), view_apps=BUSINESS_APPS),
}
