"""Project settings, read from the environment (see README and .env.example).

Unset services fall back to embedded ones for development: an embedded
PostgreSQL (pgserver) without DATABASE_URL, in-process Celery without
REDIS_URL, manual billing without Stripe keys, console email without SMTP.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jxc import fallbacks

# The import root holding `jxc`: platform/ in a checkout, site-packages when installed.
PLATFORM_DIR = Path(__file__).resolve().parents[1]
BASE_DIR = PLATFORM_DIR.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


DEFAULT_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105 - refused in production below

ENVIRONMENT = env("ENVIRONMENT", "development")  # development | test | production
IS_PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", not IS_PRODUCTION)
SECRET_KEY = env("SECRET_KEY", DEFAULT_SECRET_KEY)
BASE_DOMAIN = env("BASE_DOMAIN", "localhost")
# The port the public addresses carry (http://demo.localhost:8000); empty in production.
PUBLIC_PORT = env("PUBLIC_PORT", "")
PUBLIC_SCHEME = env("PUBLIC_SCHEME", "https" if IS_PRODUCTION else "http")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else f".{BASE_DOMAIN},{BASE_DOMAIN},127.0.0.1")

if IS_PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off")
    if not SECRET_KEY or SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must be set (for example .shop.example.com)")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))

# --- Applications -----------------------------------------------------------

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "billing",
    "onboarding",
    "jxc.kernel",
    "jxc.console",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_prometheus",
    "axes",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "axes",
    "rest_framework_api_key",
    "jxc.api",
    "modules.identity",
    "modules.workspace",
    "modules.catalog",
    "modules.partners",
    "modules.inventory",
    "modules.numbering",
    "modules.stockops",
    "modules.stockcount",
    "modules.reorder",
    "modules.sales",
    "modules.purchasing",
    "modules.partnerledger",
    "modules.crm",
    "modules.printing",
    "modules.pricing",
    "modules.reports",
    "modules.finance",
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "jxc.urls_public"
ROOT_URLCONF = "jxc.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
TENANT_LIMIT_SET_CALLS = True  # at most one SET search_path per request
TENANT_SPARE_POOL_SIZE = int(env("TENANT_SPARE_POOL_SIZE", "3"))
TRIAL_DAYS = int(env("TRIAL_DAYS", "14"))

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "jxc.observability.RequestIdMiddleware",
    "jxc.observability.ProbeMiddleware",  # /healthz, /readyz, /metrics answer before the tenant lookup
    "tenants.middleware.TenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tenants.middleware.TenantStatusMiddleware",
    "jxc.observability.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_DIR / "jxc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jxc.context_processors.site",
            ],
        },
    }
]

WSGI_APPLICATION = "jxc.wsgi.application"

# --- Database ---------------------------------------------------------------

DATABASE_URL = env("DATABASE_URL") or fallbacks.embedded_postgres_url(BASE_DIR / ".data" / "postgres")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "300")))}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Parameters bound by the server, and a statement prepared after its fifth use on a connection (Django turns
# preparing off unless asked): the server parses and plans it once (bench/order_to_cash.py). We use no
# transaction-mode pooler (docs/operations.md), the one setup where prepared statements would break.
DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DATABASES["default"].setdefault("TEST", {})["NAME"] = env("TEST_DATABASE_NAME") or None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ----------------------------------------------------------

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }
else:
    fallbacks.announce("REDIS_URL is not set: Celery runs tasks in-process and the cache is per process.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING below (JSON with tenant and task id), not Celery's own text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Auth, sessions, security ---------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGOUT_REDIRECT_URL = "identity:login"

# Host-only cookies: a session on demo.example.com is never sent to other.example.com.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if IS_PRODUCTION else None
SECURE_SSL_REDIRECT = IS_PRODUCTION and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if IS_PRODUCTION else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Behind the load balancer (production: 1), client addresses come from X-Forwarded-For; see jxc.kernel.net.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "1" if IS_PRODUCTION else "0"))
RATELIMIT_IP_META_KEY = "jxc.kernel.net.client_ip"
AXES_CLIENT_IP_CALLABLE = "jxc.kernel.net.client_ip"

AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_COOLOFF_MINUTES", "15")))
# Lock the account being guessed at; signup and API abuse are rate-limited per IP elsewhere.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "identity/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- Internationalisation --------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PLATFORM_DIR / "jxc" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files ----------------------------------------------------------

STATIC_URL = "/static/"
# Production serves collected files (collectstatic into STATIC_ROOT); elsewhere WhiteNoise finds them in place.
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if IS_PRODUCTION or env("STATIC_ROOT") else None
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [PLATFORM_DIR / "jxc" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# --- Email -----------------------------------------------------------------

EMAIL_URL = env("EMAIL_URL")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"noreply@{BASE_DOMAIN}")
if EMAIL_URL:
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 587
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme in {"smtp+tls", "submission"}
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    fallbacks.announce("EMAIL_URL is not set: email is printed to the console.")
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Billing ---------------------------------------------------------------

STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env("STRIPE_API_BASE")  # a local stand-in in tests
if not STRIPE_SECRET_KEY:
    fallbacks.announce("STRIPE_SECRET_KEY is not set: billing uses the manual provider.")

# --- API -------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jxc.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["jxc.api.permissions.HasScope"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "jxc.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ShopLedger API",
    "DESCRIPTION": (
        "Per-tenant REST API for purchasing, sales, stock and books, on each shop's own host. "
        "Send `Authorization: Api-Key <key>` (owners create keys under Settings → API keys). "
        "Errors are JSON with a `code` and a `message` in the caller's language (Accept-Language). "
        "POST requests accept an `Idempotency-Key` header: a replay returns the first response."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Over a hundred operations: open on the list of tags (and a filter box) rather than render them all.
    "SWAGGER_UI_SETTINGS": {"docExpansion": "none", "filter": True, "deepLinking": True},
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name with another module's ("kind" of a location).
    "ENUM_NAME_OVERRIDES": {"StockDocumentKindEnum": "modules.stockops.enums.DocumentKind"},
}
API_KEY_CUSTOM_HEADER = "HTTP_AUTHORIZATION"

# --- Observability ---------------------------------------------------------

SENTRY_DSN = env("SENTRY_DSN")
SENTRY_RELEASE = env("SENTRY_RELEASE")
SENTRY_TRACES_SAMPLE_RATE = float(env("SENTRY_TRACES_SAMPLE_RATE", "0") or 0)
METRICS_TOKEN = env("METRICS_TOKEN")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "jxc.observability.RequestContextFilter"}},
    "formatters": {"json": {"()": "jxc.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        # Listing a logger here removes Django's default plain-text handlers from it, so every
        # line goes once, as JSON, through the root handler.
        "django": {"level": "INFO"},
        # runserver's own access line is replaced by jxc.access (it has tenant and user).
        "django.server": {"level": "WARNING", "propagate": True},
        # One line per request with tenant, user, status and duration (jxc.observability).
        "jxc.access": {"level": "WARNING" if ENVIRONMENT == "test" else "INFO"},
    },
}

from jxc.observability import init_sentry  # noqa: E402 - needs the settings above

init_sentry(SENTRY_DSN, environment=ENVIRONMENT, release=SENTRY_RELEASE, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE)

SITE_NAME = _("ShopLedger")
