"""Where a shop and the public site live on the web."""

from django.conf import settings


def tenant_domain_for(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def public_url(path: str = "/", *, slug: str | None = None) -> str:
    """An absolute address on the public site, or on a shop's host when `slug` is given."""
    host = tenant_domain_for(slug) if slug else settings.BASE_DOMAIN
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{host}{port}{path}"
