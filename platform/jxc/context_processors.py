from django.conf import settings


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "base_domain": settings.BASE_DOMAIN,
        "tenant": getattr(request, "tenant", None),
    }
