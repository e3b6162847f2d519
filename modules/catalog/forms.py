"""Web forms of the catalog. They parse input; the services decide what is allowed."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modules.catalog.models import VAT_RATE_CHOICES, Brand, Category, Unit
from modules.catalog.selectors import category_tree


def category_choices(*, exclude_id: int | None = None) -> list[tuple[str, str]]:
    """Categories indented by depth, for a select."""
    return [("", "—")] + [
        (str(category.pk), "\u3000" * depth + category.name)
        for category, depth in category_tree()
        if category.pk != exclude_id
    ]


class ItemForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code (SKU)"), max_length=64)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    category = forms.TypedChoiceField(label=gettext_lazy("Category"), required=False, coerce=int, empty_value=None)
    brand = forms.ModelChoiceField(label=gettext_lazy("Brand"), queryset=Brand.objects.all(), required=False)
    base_unit = forms.ModelChoiceField(label=gettext_lazy("Base unit"), queryset=Unit.objects.all())
    vat_rate = forms.TypedChoiceField(
        label=gettext_lazy("VAT rate"), choices=[(str(r), label) for r, label in VAT_RATE_CHOICES], coerce=Decimal,
        initial="0.13",
    )  # fmt: skip
    purchase_price = forms.DecimalField(
        label=gettext_lazy("Purchase price"), max_digits=14, decimal_places=2, initial=0
    )
    sale_price = forms.DecimalField(label=gettext_lazy("Sale price"), max_digits=14, decimal_places=2, initial=0)
    shelf_life_days = forms.IntegerField(label=gettext_lazy("Shelf life (days)"), min_value=0, required=False)
    lot_tracked = forms.BooleanField(label=gettext_lazy("Lot tracking"), required=False)
    barcodes = forms.CharField(
        label=gettext_lazy("Barcodes"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "One per line (scan into this box). A barcode printed on a package: add its unit, e.g. 6901234567892 箱"
        ),
    )  # fmt: skip
    units = forms.CharField(
        label=gettext_lazy("Further units"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line: unit = number of base units, e.g. 箱 = 24"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def clean_category(self):
        value = self.cleaned_data["category"]
        return Category.objects.filter(pk=value).first() if value else None

    def clean_barcodes(self) -> list[tuple[str, Unit | None]]:
        """Lines "6901234567892" (one base unit) or "6901234567892 箱" (printed on a case)."""
        barcodes = []
        for line in self.cleaned_data["barcodes"].replace(",", "\n").splitlines():
            parts = line.split(maxsplit=1)
            if not parts:
                continue
            code, unit = parts[0], None
            if len(parts) == 2:
                unit = Unit.objects.filter(name=parts[1].strip()).first()
                if unit is None:
                    raise forms.ValidationError(_("Unknown unit in “%(line)s”.") % {"line": line.strip()})
            barcodes.append((code, unit))
        return barcodes

    def clean_units(self):
        units = []
        for line in self.cleaned_data["units"].splitlines():
            if not line.strip():
                continue
            name, sep, factor = line.replace("＝", "=").partition("=")
            unit = Unit.objects.filter(name=name.strip()).first()
            if not sep or unit is None:
                raise forms.ValidationError(_("Unknown unit in “%(line)s”.") % {"line": line.strip()})
            try:
                units.append((unit, Decimal(factor.strip())))
            except InvalidOperation:
                raise forms.ValidationError(_("Not a number in “%(line)s”.") % {"line": line.strip()}) from None
        return units


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    parent = forms.TypedChoiceField(label=gettext_lazy("Parent"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, exclude_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = category_choices(exclude_id=exclude_id)

    def clean_parent(self):
        value = self.cleaned_data["parent"]
        return Category.objects.filter(pk=value).first() if value else None
