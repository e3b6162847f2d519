from django_filters import rest_framework as filters

from modules.catalog import selectors
from modules.catalog.models import Item


class ItemFilter(filters.FilterSet):
    search = filters.CharFilter(method="filter_search", label="code, name, pinyin initials or barcode")
    category = filters.NumberFilter(method="filter_category", label="category id, its subcategories included")
    brand = filters.NumberFilter(field_name="brand_id")
    active = filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = Item
        fields = ["search", "category", "brand", "active"]

    def filter_search(self, queryset, name, value):
        return selectors.item_search(queryset=queryset, q=value)

    def filter_category(self, queryset, name, value):
        return queryset.filter(category_id__in=selectors.category_descendant_ids(category_id=int(value)))
