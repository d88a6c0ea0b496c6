"""Palmarès settings: one module, driven by environment variables.

Production is the default: DEBUG is off, cookies are secure and a SECRET_KEY must be given.
`make run` sets DEBUG=1 for local development.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable; unset or empty means `default`.

    Any other value is refused: read as False, a typo such as SECURE_SSL_REDIRECT=ture would
    silently turn a protection off.
    """
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if value.lower() in TRUE_VALUES:
        return True
    if value.lower() in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off "
        "(any case), or leave it empty for the default."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def mailer_from_url(url: str) -> dict[str, object]:
    """Translate EMAIL_URL (smtp://user:pass@host:port?tls=1, smtps://…, console:, locmem:)."""
    parts = urlsplit(url)
    backends = {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ValueError(f"EMAIL_URL: unsupported scheme {parts.scheme!r}")
    if parts.scheme not in {"smtp", "smtps"}:
        return {"BACKEND": backends[parts.scheme]}
    query = parse_qs(parts.query)
    return {
        "BACKEND": backends[parts.scheme],
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": query.get("tls", ["0"])[0] in {"1", "true"},
            "timeout": 20,
        },
    }


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "health",  # /sante/ and the daily jobs' last runs; below every domain app
    "notifications",  # the outbox of every email; imports no project app
    "territories",
    "accounts",
    "contests",
    "awards",
    "applications",
    "jury",
    "catalogue",
    "opendata",
    "demo",
]

MIDDLEWARE = [
    # Outermost, so that every log line of the request, its errors included, carries its id.
    "palmares.logs.RequestIdMiddleware",
    # First, so that it compresses what every other middleware wrote. Django's GZip adds random
    # padding against BREACH; static files come pre-compressed from WhiteNoise and are skipped.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: a request over MAX_REQUEST_BODY_BYTES gets a 413 at once.
    "palmares.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Organisers and jurors give their TOTP code before any non-public page (issue 8).
    "accounts.second_factor.SecondFactorMiddleware",
    # Organisers' and jurors' sessions end after an idle time and an absolute time (issue 17).
    "accounts.sessions.PrivilegedSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "palmares.urls"
WSGI_APPLICATION = "palmares.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "palmares" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "applications.context_processors.open_calls",
            ],
            # « 1er février 2027 », « 12,4 Mo » in every template without a {% load %}.
            "builtins": ["palmares.dates", "palmares.sizes"],
        },
    },
]

# SQLite file by default; PostgreSQL (or any URL dj-database-url knows) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while a writer commits; IMMEDIATE avoids "database is locked"
        # surprises when two requests upgrade a read transaction to a write.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The contest whose palmarès the public pages show by default (catalogue.domain).
PUBLIC_PALMARES_CONTEST = "label-territoire-innovant"
# Who awards a contest that does not name its awarding organisation (contests.presentation).
DEFAULT_AWARDING_ORGANISATION = os.environ.get("DEFAULT_AWARDING_ORGANISATION", "")
# How long visitors' copies of laureates' pages may be served from the cache (palmares.page_cache).
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "300"))

# Shared by every process (rate limits, login throttling, page cache): Redis when REDIS_URL is
# set, else a table of the database itself (created by a migration of health, and by
# `createcachetable`), which needs no extra server. A per-process memory cache would let each
# gunicorn worker count on its own.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "palmares_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    )
}

# Background work (emails, reminders) through Django's tasks API, queued in the database and
# run by `manage.py db_worker`; tests run tasks immediately.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
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
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalogue:home"
LOGOUT_REDIRECT_URL = "catalogue:home"
# The accessibility statement (/accessibilite/, computed from catalogue/accessibility/rgaa.csv):
# who commits to it, how to reach them about an accessibility problem, and the recourse.
ACCESSIBILITY_ENTITY = os.environ.get("ACCESSIBILITY_ENTITY", "")  # e.g. "L'association …"
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "")
ACCESSIBILITY_CONTACT_URL = os.environ.get("ACCESSIBILITY_CONTACT_URL", "")  # a contact form
ACCESSIBILITY_CONTACT_ADDRESS = os.environ.get("ACCESSIBILITY_CONTACT_ADDRESS", "")  # postal
ACCESSIBILITY_RECOURSE_FORM_URL = os.environ.get(
    "ACCESSIBILITY_RECOURSE_FORM_URL", "https://formulaire.defenseurdesdroits.fr/"
)
ACCESSIBILITY_RECOURSE_DELEGATES_URL = os.environ.get(
    "ACCESSIBILITY_RECOURSE_DELEGATES_URL", "https://www.defenseurdesdroits.fr/saisir/delegues"
)
ACCESSIBILITY_RECOURSE_ADDRESS = os.environ.get(
    "ACCESSIBILITY_RECOURSE_ADDRESS",
    "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
)

# Login throttling (accounts/throttling.py): failures allowed per account from one client
# address, and per address across all accounts, within the window; past the per-account
# allowance, unknown devices and addresses wait a doubling delay, capped, between attempts,
# while a device or an address the account signed in from before still passes.
LOGIN_FAILURES_ALLOWED = env_int("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900)
LOGIN_BACKOFF_MAX_SECONDS = env_int("LOGIN_BACKOFF_MAX_SECONDS", 300)
LOGIN_KNOWN_DEVICE_DAYS = env_int("LOGIN_KNOWN_DEVICE_DAYS", 90)
# Password-reset and sign-up emails: at most this many per address, and requests per client
# address, in an hour (accounts/mail_limits.py).
ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR = env_int("ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR", 3)
ACCOUNT_MAILS_PER_CLIENT_PER_HOUR = env_int("ACCOUNT_MAILS_PER_CLIENT_PER_HOUR", 10)
# Organisers' and jurors' sessions (and their second-factor mark) end after this idle time and
# this absolute time since sign-in (accounts/sessions.py).
PRIVILEGED_SESSION_IDLE_SECONDS = env_int("PRIVILEGED_SESSION_IDLE_SECONDS", 30 * 60)
PRIVILEGED_SESSION_MAX_SECONDS = env_int("PRIVILEGED_SESSION_MAX_SECONDS", 12 * 60 * 60)
# OpenID Connect sign-in for agents (ProConnect; accounts/oidc.py). Without the issuer, the
# client id and its secret, the button is hidden and the OIDC URLs answer 404.
OIDC_PROVIDER_URL = os.environ.get("OIDC_PROVIDER_URL", "")  # the issuer, exactly
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email given_name usual_name siret")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "ProConnect")
OIDC_ACR_VALUES = os.environ.get("OIDC_ACR_VALUES", "")  # e.g. "eidas1"; empty: not sent
# Link a first OIDC sign-in to the existing account with the same address (ProConnect's
# identity providers verify addresses). Off: refuse, the person signs in with their password.
OIDC_TRUST_EMAIL = env_bool("OIDC_TRUST_EMAIL", True)

LANGUAGE_CODE = "fr"
# The language organisers and applicants write in (contests, themes, criteria, dossiers): pages
# in another language mark that content with `lang` (contests/content_language.py).
CONTENT_LANGUAGE = os.environ.get("CONTENT_LANGUAGE", "fr")
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The browser tests collect static files into a temporary folder of their own.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "palmares" / "static"]
STORAGES = {
    # Uploaded files are private: kept outside the static tree, served only through views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The npm package @etalab/decoupage-administratif, unpacked by `make` (see Makefile).
TERRITORIES_DATA_DIR = Path(
    os.environ.get("TERRITORIES_DATA_DIR", BASE_DIR / "vendor" / "decoupage-administratif" / "data")
)

MAILERS = {
    "default": mailer_from_url(
        os.environ.get("EMAIL_URL", "console:" if DEBUG else "smtp://localhost:25")
    )
}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Palmarès <ne-pas-repondre@palmares.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Attempts at delivering an email (notifications.outbox) before organisers see it as failed.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 5)
if EMAIL_MAX_ATTEMPTS < 1:
    raise ValueError("EMAIL_MAX_ATTEMPTS must be at least 1.")

# The largest request body accepted (a pitch video plus its form): nginx's client_max_body_size
# says the same (deploy/nginx/palmares.conf); palmares/security.py answers 413 above it.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 1010 * 1024 * 1024)
# Each uploaded file is measured while it streams in and skipped past the largest size accepted
# anywhere (applications/upload_handlers.py), before Django's own handlers keep it.
FILE_UPLOAD_HANDLERS = [
    "applications.upload_handlers.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploaded images larger than this (width × height, read from the header) are refused before
# their pixels are decoded (applications/uploads.py): 40 megapixels take about 160 MB decoded.
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)
# Who to write to about a vulnerability (/.well-known/security.txt): a mailto: or https: URL.
SECURITY_CONTACT = os.environ.get(
    "SECURITY_CONTACT", f"mailto:securite@{urlsplit(SITE_URL).hostname or 'localhost'}"
)

# Security: strict CSP (no inline script or style anywhere), secure cookies outside DEBUG.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# SECURE_COOKIES=0 only for a production-like server on plain-HTTP loopback (browser tests).
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind our reverse proxy, the client's address is the last hop the proxy appended to
# X-Forwarded-For (login throttling reads it); REMOTE_ADDR would be the proxy for everyone.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Rotating SECRET_KEY (deploy/RUNBOOK.md): the previous key(s) here, comma-separated, keep
# sessions, emailed links and the recovery codes hashed with them valid.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

# One JSON object per line with the request's id (palmares/logs.py), for journald and log
# tools; LOG_FORMAT=text gives plain lines to read in a terminal (the default with DEBUG).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ValueError(f"LOG_FORMAT: expected json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "palmares.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Health (/sante/, health/checks.py): the daily jobs that must have succeeded lately, and how
# long a queued task may wait before the task worker is reported as stuck.
HEALTH_DAILY_JOBS = env_list(
    "HEALTH_DAILY_JOBS",
    "send_deadline_reminders,send_jury_reminders,send_membership_digest,backup,purge_expired",
)
HEALTH_DAILY_JOB_MAX_AGE_HOURS = env_int("HEALTH_DAILY_JOB_MAX_AGE_HOURS", 26)
HEALTH_TASK_MAX_WAIT_SECONDS = env_int("HEALTH_TASK_MAX_WAIT_SECONDS", 600)
# Where `manage.py backup` writes its archives by default (deploy/ keeps them off the web root).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
# A Fernet key (python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key()
# .decode())"): when set, archives are encrypted with it, and restore needs it. Keep a copy
# apart from the backups (deploy/RUNBOOK.md).
BACKUP_ENCRYPTION_KEY = os.environ.get("BACKUP_ENCRYPTION_KEY", "")

# Error tracker: off unless SENTRY_DSN is set (nothing is sent anywhere otherwise). Then
# unhandled errors and ERROR log records go to that Sentry-compatible server, without personal
# data: no user, cookies, query strings, bodies or local variables; no performance tracing.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import logging

    import sentry_sdk
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        integrations=[LoggingIntegration(event_level=logging.ERROR)],
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "url_query_params": {"mode": "off"},
            "http_bodies": [],
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        traces_sample_rate=None,
    )

# Personal data (RGPD). What the legal page (/mentions-legales/) says of the publisher and the
# controller: the organisers fill these in; `check --deploy` warns while one is empty
# (catalogue.checks), and the page shows « à compléter » rather than inventing anything.
LEGAL_PUBLISHER_ADDRESS = os.environ.get("LEGAL_PUBLISHER_ADDRESS", "")
LEGAL_PUBLISHER_ID = os.environ.get("LEGAL_PUBLISHER_ID", "")
LEGAL_PUBLICATION_DIRECTOR = os.environ.get("LEGAL_PUBLICATION_DIRECTOR", "")
LEGAL_CONTROLLER = os.environ.get("LEGAL_CONTROLLER", "")
LEGAL_CONTACT = os.environ.get("LEGAL_CONTACT", "")
LEGAL_HOST = os.environ.get("LEGAL_HOST", "")
LEGAL_BASIS = os.environ.get("LEGAL_BASIS", "")
# How long each kind of personal data is kept, in days; `manage.py purge_expired` (daily)
# removes what is older, and the legal page states these figures.
RETENTION_DOSSIER_DAYS = env_int("RETENTION_DOSSIER_DAYS", 3 * 365)
RETENTION_JUROR_COMMENT_DAYS = env_int("RETENTION_JUROR_COMMENT_DAYS", 2 * 365)
RETENTION_SIGN_IN_DAYS = env_int("RETENTION_SIGN_IN_DAYS", 180)
RETENTION_UNCONFIRMED_ACCOUNT_DAYS = env_int("RETENTION_UNCONFIRMED_ACCOUNT_DAYS", 30)
