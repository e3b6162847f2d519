"""Pure rules of stock documents, without the database: the lifecycle, signs and cost per base unit."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.stockops.enums import DocumentKind, DocumentStatus, ErrorCode

COST_PLACES = Decimal("0.000001")

# The action → the statuses it may start from (draft → confirmed → posted; cancelled from draft or confirmed).
ALLOWED_FROM = {
    "edit": {DocumentStatus.DRAFT},
    "confirm": {DocumentStatus.DRAFT},
    "post": {DocumentStatus.CONFIRMED},
    "cancel": {DocumentStatus.DRAFT, DocumentStatus.CONFIRMED},
    "reverse": {DocumentStatus.POSTED},
}
CLOSED = {DocumentStatus.POSTED, DocumentStatus.CANCELLED}


def check_transition(status: str, action: str) -> None:
    """Raise unless `action` may be taken on a document in `status` (409 on field "status")."""
    if status in ALLOWED_FROM[action]:
        return
    if status in CLOSED:
        message = (
            _("The document is posted and can no longer be changed; reverse it instead.")
            if status == DocumentStatus.POSTED
            else _("The document is cancelled and can no longer be changed.")
        )
        raise AppError(ErrorCode.DOCUMENT_CLOSED, message, field="status", status=409)
    messages = {
        "edit": _("Only a draft can be edited."),
        "confirm": _("Only a draft can be confirmed."),
        "post": _("Confirm the document before posting it."),
        "reverse": _("Only a posted document can be reversed."),
    }
    raise AppError(ErrorCode.WRONG_STATUS, messages[action], field="status", status=409)


def actions_allowed(status: str) -> set[str]:
    return {action for action, statuses in ALLOWED_FROM.items() if status in statuses}


def signed(kind: str, base_quantity: Decimal) -> Decimal:
    """The ledger quantity of a line at its (source) location: receipts add, issues and transfers take away."""
    if kind == DocumentKind.STOCK_IN:
        return base_quantity
    if kind in (DocumentKind.STOCK_OUT, DocumentKind.TRANSFER):
        return -base_quantity
    return base_quantity  # adjustments carry their own sign


def base_unit_cost(*, unit_cost: Decimal, quantity: Decimal, base_quantity: Decimal) -> Decimal:
    """A cost per entered unit (48.00 per 箱 of 24) as a cost per base unit (2.000000), half-up to 6 places."""
    return (unit_cost * quantity / base_quantity).quantize(COST_PLACES, rounding=ROUND_HALF_UP)


def is_incoming(kind: str, quantity: Decimal) -> bool:
    """Whether a line brings new stock in: it carries a unit cost (receipts must, positive adjustments
    may) and its lot may be new. Transfers only move stock that is there already."""
    return kind == DocumentKind.STOCK_IN or (kind == DocumentKind.ADJUSTMENT and quantity > 0)
