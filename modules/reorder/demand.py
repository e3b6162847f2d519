"""Which stock moves count as sales for the replenishment suggestions' sales velocity.

A move counts when its `source_type` is registered here. Retail sales (零售单) are registered by this
app; a module that posts other sales documents registers its types from its AppConfig.ready():

    from modules.reorder.demand import sale_source_register
    sale_source_register(SALES_DELIVERY)      # 销售出库: the moves of a delivery
    sale_source_register(SALES_RETURN)        # 销售退货: its moves are positive, so returns net sales down

Sales are the negated sum of these moves' signed quantities: issues (negative) add, returns and reversals
(红冲, positive) subtract. A type posting both sales and non-sales moves should not be registered.
"""

from modules.sales.enums import RETAIL_SALE

# The sale source types known without any registration.
SALE_SOURCE_TYPES: frozenset[str] = frozenset({RETAIL_SALE})

_registered: set[str] = set(SALE_SOURCE_TYPES)


def sale_source_register(source_type: str) -> None:
    """Count the moves of documents of `source_type` as sales (idempotent)."""
    if not source_type:
        raise ValueError("a sale source type needs a name")
    _registered.add(source_type)


def sale_source_types() -> frozenset[str]:
    """Every source type whose moves are sales (or their returns)."""
    return frozenset(_registered)
