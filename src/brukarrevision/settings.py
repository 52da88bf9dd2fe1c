"""Settings for Brukarrevision: every value comes from the environment.

Development needs nothing set (SQLite, console e-mail, debug on). Production sets
DJANGO_ENV=production and the variables listed in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    return env(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(env(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env("DJANGO_ENV", "development") == "production"
DEBUG = envbool("DEBUG", "false" if PRODUCTION else "true")
SECRET_KEY = env("SECRET_KEY", "" if PRODUCTION else "dev-only-insecure-key-change-me")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise RuntimeError("SECRET_KEY must be set to at least 50 random characters in production")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "brukarrevision.core",
    "brukarrevision.accounts",
    "brukarrevision.organisations",
    "brukarrevision.audits",
    "brukarrevision.instruments",
    "brukarrevision.collection",
    "brukarrevision.analysis",
    "brukarrevision.releases",
    "brukarrevision.reports",
    "brukarrevision.followup",
    "brukarrevision.portfolio",
    "brukarrevision.pool",
    "brukarrevision.pay",
    "brukarrevision.suggestions",
    "brukarrevision.toolbox",
    "brukarrevision.councils",
    "brukarrevision.certification",
    "brukarrevision.ladder",
    "brukarrevision.openrosa",
    "brukarrevision.oidc",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "brukarrevision.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "brukarrevision.core.middleware.SwedishFirstMiddleware",
    "brukarrevision.core.middleware.NullCharacterMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "brukarrevision.accounts.middleware.SessionLifetimeMiddleware",
    "brukarrevision.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "brukarrevision.core.middleware.PermissionsPolicyMiddleware",
    "brukarrevision.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "brukarrevision.urls"
WSGI_APPLICATION = "brukarrevision.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]
FORM_RENDERER = "brukarrevision.core.forms.AccessibleFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        # A kept connection is checked before each request reuses it, so a restarted or
        # failed-over PostgreSQL costs at most the request in flight, not a minute of errors.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
# PostgreSQL, optional: with DATABASE_PREPARE_THRESHOLD=n (e.g. 5) every query run n times on
# a connection is prepared on the server (psycopg 3 with server-side binding). Off by default
# (0): server-side binding refuses some queries that client-side binding takes, and the
# survey's hot statements are prepared anyway (DATABASE_PREPARED_STATEMENTS below).
PREPARE_THRESHOLD = envint("DATABASE_PREPARE_THRESHOLD", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and PREPARE_THRESHOLD > 0:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"server_side_binding": True, "prepare_threshold": PREPARE_THRESHOLD}
    )
# PostgreSQL: the web survey's own statements (reading the link and the draft, storing a
# response) are prepared on the server once per connection (lib/prepared.py). Turn off behind
# a pooler in transaction mode that cannot keep prepared statements.
DATABASE_PREPARED_STATEMENTS = envbool("DATABASE_PREPARED_STATEMENTS", "true")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Lock-out after repeated failed sign-ins (django-axes), per e-mail address.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15))
# Counted per e-mail address (as typed, in any letter case or with spaces) and per address the
# attempts come from, so neither other spellings nor other accounts get around it.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "brukarrevision.accounts.services.sign_in_name"
# Password-reset mail per address and per sender within an hour.
PASSWORD_RESET_LIMIT = envint("PASSWORD_RESET_LIMIT", 3)
PASSWORD_RESET_LIMIT_PER_IP = envint("PASSWORD_RESET_LIMIT_PER_IP", 10)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]

# Figures for fewer respondents than this are withheld outside the audit team (never below 3).
SUPPRESSION_THRESHOLD = max(3, envint("SUPPRESSION_THRESHOLD", 5))

# Stored answers per client address and survey link in an hour; more get "try again later".
SURVEY_SUBMISSIONS_PER_HOUR = envint("SURVEY_SUBMISSIONS_PER_HOUR", 20)
# Suggestions one address may send in an hour, across every suggestion box.
SUGGESTIONS_PER_HOUR = envint("SUGGESTIONS_PER_HOUR", 10)

# The REST API (app api): personal tokens only (session sign-in reaches the schema and its
# documentation page), JSON only, at most API_RATE_PER_HOUR requests an hour per token.
API_RATE_PER_HOUR = envint("API_RATE_PER_HOUR", 1000)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "brukarrevision.api.authentication.BearerTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["brukarrevision.api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Brukarrevision API",
    "DESCRIPTION": "Audits, released results (small groups hidden), published reports, action "
    "proposals and their follow-up; paper and offline responses. Authenticate with a personal "
    "API token: Authorization: Bearer <token>.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Counters shared by all app servers: CACHE_URL=redis://host:6379/0 (needs the redis
# package); without it, each process counts in its own memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL"),
    }
    if env("CACHE_URL").startswith(("redis://", "rediss://", "unix://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Sessions end after inactivity and after a maximum lifetime.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_LIFETIME = envint("SESSION_MAX_HOURS", 10) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = "Brukarrevision"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format in each language: "3 mars 2027" / "3 March 2027", in pages and the admin.
FORMAT_MODULE_PATH = ["brukarrevision.formats"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Brukarrevision <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Fees: warn when a person's fees in a calendar year pass this sum (SEK). Many auditors
# receive benefits whose income limits a fee can break; each organisation may set its own.
PAY_YEARLY_WARNING_SEK = envint("PAY_YEARLY_WARNING_SEK", 25000)

# Certification of user influence: a certificate lapses when a follow-up or an action of
# its plan is this many days past due; reminders go out this many days before a follow-up.
CERTIFICATION_GRACE_DAYS = envint("CERTIFICATION_GRACE_DAYS", 30)
CERTIFICATION_REMIND_DAYS = envint("CERTIFICATION_REMIND_DAYS", 14)

# ODK Collect (app openrosa): the largest submission taken, and wrong app passwords allowed
# per address and e-mail before that pair must wait ODK_LOCKOUT_MINUTES.
ODK_MAX_SUBMISSION_BYTES = envint("ODK_MAX_SUBMISSION_BYTES", 10 * 1024 * 1024)
ODK_FAILURE_LIMIT = envint("ODK_FAILURE_LIMIT", 10)
ODK_LOCKOUT_MINUTES = envint("ODK_LOCKOUT_MINUTES", 15)

# Municipal sign-in over OpenID Connect (app oidc, mozilla-django-oidc): shown on the sign-in
# page only when the client id and the provider's endpoints are set. People are matched to
# existing active accounts by a verified e-mail address; no account is made unless
# OIDC_CREATE_USERS. OIDC_TRUST_IDP_MFA: count the provider's sign-in as the second step.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT") or None
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME")
OIDC_CREATE_USERS = envbool("OIDC_CREATE_USERS", "false")
OIDC_CREATE_USER = OIDC_CREATE_USERS
OIDC_TRUST_IDP_MFA = envbool("OIDC_TRUST_IDP_MFA", "false")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = envint("OIDC_TIMEOUT", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:callback"

# Background work: run inline in development, by `manage.py db_worker` in production.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env("TASKS_BACKEND", "database" if PRODUCTION else "immediate") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# axes.W006 asks to lock out by IP address too. We lock out per account on purpose: many
# staff of one municipality share an address, and rotating user agents does not help an
# attacker against a per-account limit.
# Headers: no inline script anywhere, no framing, no referrer to other sites, no device APIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
