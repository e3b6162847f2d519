"""Template context every page gets: the site, the tenant, and on a shop the nav and user menu."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    tenant = getattr(request, "tenant", None)
    context = {
        # `product_name` in the layouts: Django's auth views put their own `site_name` (the host) in the context.
        "product_name": settings.SITE_NAME,
        "site_name": settings.SITE_NAME,
        "base_domain": settings.BASE_DOMAIN,
        "tenant": tenant,
    }
    user = getattr(request, "user", None)
    if tenant is not None and not tenant.is_public and user is not None and user.is_authenticated:
        # Lazy: only the shop layout reads these, and they cost a few queries and URL lookups.
        from modules.workspace.navigation import nav_items
        from modules.workspace.selectors import user_menu_get

        context["shop_nav"] = SimpleLazyObject(lambda: nav_items(user=user, path=request.path))
        context["user_menu"] = SimpleLazyObject(lambda: user_menu_get(user=user))
    return context
