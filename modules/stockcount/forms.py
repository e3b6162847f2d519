"""Web forms of stock counts. They parse input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.catalog.models import Category
from modules.catalog.selectors import category_tree
from modules.inventory.models import Location, Warehouse
from modules.inventory.selectors import location_tree, warehouse_list
from modules.stockcount.models import CountScope


def location_choices(warehouses) -> list[tuple[str, str]]:
    """Every location of the warehouses, in tree order, labelled "warehouse · — code name"."""
    choices = [("", "—")]
    for warehouse in warehouses:
        for location, depth in location_tree(warehouse=warehouse):
            label = f"{warehouse.code} · {'— ' * depth}{location.code} {location.name}".rstrip()
            choices.append((str(location.pk), label))
    return choices


class CountForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none(), empty_label=None)
    scope = forms.ChoiceField(
        label=_("What to count"), choices=CountScope.choices, initial=CountScope.WAREHOUSE, widget=forms.RadioSelect
    )
    location = forms.TypedChoiceField(
        label=_("Location"), required=False, coerce=int, empty_value=None,
        help_text=_("With the locations below it."),
    )  # fmt: skip
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None,
        help_text=_("With its subcategories."),
    )  # fmt: skip
    include_zero_stock = forms.BooleanField(
        label=_("Include items with zero stock"), required=False,
        help_text=_("A category count lists the category's items without stock too, so that finds can be counted."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    start = forms.BooleanField(
        label=_("Freeze the expected figures and start counting now"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        warehouses = warehouse_list(active=True)
        self.fields["warehouse"].queryset = warehouses
        self.fields["location"].choices = location_choices(warehouses)
        self.fields["category"].choices = [("", "—")] + [
            (str(category.pk), "\u3000" * depth + category.name) for category, depth in category_tree()
        ]

    def scope_values(self) -> dict:
        """The scope fields that matter for the chosen scope; the page hides the others, so they are dropped."""
        data = self.cleaned_data
        scope = data["scope"]
        return {
            "scope": scope,
            "location": data["location"] if scope == CountScope.LOCATION else None,
            "category": data["category"] if scope == CountScope.CATEGORY else None,
            "include_zero_stock": data["include_zero_stock"] if scope == CountScope.CATEGORY else False,
        }

    def clean_location(self):
        value = self.cleaned_data["location"]
        return Location.objects.filter(pk=value).first() if value else None

    def clean_category(self):
        value = self.cleaned_data["category"]
        return Category.objects.filter(pk=value).first() if value else None
