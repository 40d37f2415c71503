"""Settings for mgsite: one module, driven by environment variables (and a `.env` file).

Every variable is listed in the README's configuration table. With `DEBUG` off the site
assumes it is public: HTTPS only, secure cookies, HSTS, a strict Content Security Policy.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-key-not-for-production-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "allauth.usersessions",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "simple_history",
    "csp",
    "outbox",
    "accounts",
    "nutrition.foods",
    "nutrition.content",
    "nutrition.health",
    "nutrition.diary",
    "nutrition.clinic",
    "nutrition.transfer",
]

MIDDLEWARE = [
    "mgsite.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mgsite.middleware.BodySizeMiddleware",
    "mgsite.middleware.JsonBodyGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mgsite.middleware.LoginRequiredExceptApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mgsite.middleware.SessionActivityMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "mgsite.middleware.StaffTwoFactorMiddleware",
    "mgsite.middleware.HeadlessLockedLoginMiddleware",
    "mgsite.middleware.PrivateNoStoreMiddleware",
]

ROOT_URLCONF = "mgsite.urls"
WSGI_APPLICATION = "mgsite.wsgi.application"

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
                "csp.context_processors.nonce",
                "accounts.context_processors.timezone_offer",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
    # concurrent writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-65536;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
# Two caches with different promises:
# - "default" holds what must be the same for every worker process: rate limits (allauth's
#   login limits, DRF throttles) and allauth's used-TOTP-code markers. Redis when configured,
#   otherwise a database table (`DATABASE_CACHE_TABLE`, created by the `accounts` migrations),
#   never a per-process memory cache that would multiply each limit by the number of workers.
# - "local" holds what is only there for speed (the day page's pickers, notes, the session
#   "last seen" marker): keyed so that a stale copy in one process is never wrong, it can live
#   in each process's memory when there is no Redis, and costs no query to read.
REDIS_URL = env.str("REDIS_URL", default="")
DATABASE_CACHE_TABLE = "mgsite_cache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mgsite",
        },
        "local": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mgsite-local",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
        },
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "mgsite-local",
        },
    }

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[mgsite] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# Behind a proxy, count the proxies so rate limits see the real client address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_PERIOD = 30
MFA_TOTP_TOLERANCE = 0
MFA_RECOVERY_CODE_COUNT = 10
MFA_ALLOW_UNVERIFIED_EMAIL = False
MFA_TOTP_ISSUER = "mgsite"

HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app", "browser")
USERSESSIONS_TRACK_ACTIVITY = True

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="mgsite <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address for links in e-mails that jobs send (no request to take it from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
ADMINS = [("Admin", a) for a in env.list("ADMIN_EMAILS", default=[])]

# --- Background jobs (Celery, mgsite/celery.py) -------------------------------------------------
# Without a broker every job runs in-process at once, so `make run` needs nothing else; with
# one (Redis or RabbitMQ), `make worker` runs them. Publishing never waits long nor retries:
# a page whose job cannot reach the broker answers as usual, the outbox row stays queued and
# `outbox.tasks.flush` hands it over when the broker is back.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Celery still takes a producer for an in-process job: an in-memory one, never a network
    # broker that happens to listen on the default address.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True  # no result backend: jobs record what they did in the database
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="mgsite")
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker waits for its broker
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,  # a publish gives up at the first failed connection attempt
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": 10,
    # Redis only: a message taken by a worker that died is given to another after this long.
    # It must exceed the longest retry back-off (10 minutes), else a waiting retry is doubled.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # with late acknowledgement, hold one job per process
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # LOGGING below formats the worker's lines too
CELERY_WORKER_REDIRECT_STDOUTS = False  # the console e-mail backend prints, not logs
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_TIMEZONE = "UTC"
# The schedule lives here, in code (docs/deploy.md lists the jobs). `make worker` runs the
# scheduler inside the worker (`celery -A mgsite worker -B`).
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {"task": "outbox.tasks.flush", "schedule": 60.0},
    # Hourly, since each person's Monday 07:00 (and each dietitian's 07:00) comes at another
    # hour in another time zone; the outbox key makes a second run in the period send nothing.
    "weekly-summaries": {
        "task": "nutrition.diary.tasks.weekly_summaries",
        "schedule": crontab(minute=5),
    },
    "clinic-digests": {"task": "nutrition.clinic.tasks.digests", "schedule": crontab(minute=10)},
    "accounts-cleanup": {
        "task": "accounts.tasks.cleanup",
        "schedule": crontab(hour=3, minute=30),
    },
    "clinic-cleanup": {
        "task": "nutrition.clinic.tasks.cleanup",
        "schedule": crontab(hour=3, minute=40),
    },
    "imports-sweep": {"task": "nutrition.transfer.tasks.sweep", "schedule": crontab(minute=20)},
}

# --- FoodData Central uploads (the admin's import, nutrition.foods.uploads) ----------------------
# The folder where an upload waits for its job: the web and worker processes must share it.
FOOD_IMPORT_DIR = Path(env.str("FOOD_IMPORT_DIR", default=str(BASE_DIR / "var" / "food-imports")))
FOOD_IMPORT_MAX_UPLOAD_BYTES = env.int("FOOD_IMPORT_MAX_UPLOAD_BYTES", default=1 << 30)  # 1 GiB
FOOD_IMPORT_MAX_UNPACKED_BYTES = env.int("FOOD_IMPORT_MAX_UNPACKED_BYTES", default=8 << 30)

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "allauth.headless.contrib.rest_framework.authentication.XSessionTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsVerifiedUser"],
    "DEFAULT_PAGINATION_CLASS": "mgsite.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "mgsite.api_schema.ApiSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        "export": "10/hour",
    },
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0) or None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "mgsite.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mgsite API",
    "DESCRIPTION": (
        "Foods, magnesium intake diary, dietitian clinic and articles. Authenticate with the "
        "browser session (and CSRF token) or with an allauth headless app session token in "
        "the X-Session-Token header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Named for what they are, not after a field name another component may share.
    "ENUM_NAME_OVERRIDES": {
        "FhirResourceTypeEnum": ["Bundle"],
        "FhirBundleTypeEnum": ["collection"],
        "ImportFormatEnum": "nutrition.transfer.models.FORMAT_CHOICES",
    },
}

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "mgsite.storage.StaticStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "staticfiles.json").exists()

# --- Security -------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^health/$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    # The `check --deploy` warning W021 asks for preload only when it is deliberate.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest request body read at all (`BodySizeMiddleware`, a 413 before anything reads it):
# an import's file of at most 20 MB with its multipart framing.
MAX_REQUEST_BODY_BYTES = 20 * 1024 * 1024 + 64 * 1024
# Addresses that take more: a staff member's upload of a FoodData Central zip in the admin.
LARGE_REQUEST_BODY_BYTES = {
    "/admin/foods/foodimportrun/add/": FOOD_IMPORT_MAX_UPLOAD_BYTES + 64 * 1024,
}

# One JSON object per line (mgsite/logs.py): a line per request (`mgsite.requests`) and per
# job (`mgsite.jobs`), each with its request id; docs/deploy.md says what is logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "mgsite.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "mgsite.security": {"level": "INFO", "propagate": True},
        "mgsite.requests": {"level": env.str("REQUEST_LOG_LEVEL", default="INFO")},
        "mgsite.jobs": {"level": "INFO"},
        "mgsite.outbox": {"level": "INFO"},
        # mgsite.jobs has the line per job; Celery's own "received"/"succeeded" lines would
        # repeat it (its errors still show).
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
    },
}
