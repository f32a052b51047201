"""Settings shared by every environment. Everything that differs comes from the environment."""
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; missing file is fine

# GENERAL
# ------------------------------------------------------------------------------
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# I18N / TIME
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the Celery worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "logistics",
    "assets",
    "repairs",
    "canteen",
    "safety",
    "procurement",
]
AUTH_USER_MODEL = "logistics.User"

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "logistics.middleware.HealthCheckMiddleware",  # load-balancer probes: before host checks and HTTPS redirects
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "logistics.logging.RequestIdMiddleware",
    "logistics.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "logistics.middleware.CurrentSchoolMiddleware",
    "axes.middleware.AxesMiddleware",
    "logistics.home.HomeCacheMiddleware",
]
ROOT_URLCONF = "logistics.urls"
WSGI_APPLICATION = "logistics.wsgi.application"

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "logistics.context_processors.logistics",
            ],
            "builtins": ["logistics.templatetags.logistics_tags"],
        },
    }
]
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must be first: refuses locked-out users
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes: 5 failed logins for one user name lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lock by user name, not by IP: a whole school sits behind one NAT address, and locking the IP
# would lock every teacher out because of one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# STATIC / MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest file a user may upload (photos, certificates, workbooks).
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# SECURITY (the production module tightens these)
# ------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True

# EMAIL
# ------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587 (default: print to the console).
def mailers_from_env(default: str) -> dict:
    email = env.email_url("EMAIL_URL", default=default)
    smtp = email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    options = {
        "host": email.get("EMAIL_HOST"),
        "port": email.get("EMAIL_PORT"),
        "username": email.get("EMAIL_HOST_USER"),
        "password": email.get("EMAIL_HOST_PASSWORD"),
        "use_tls": email.get("EMAIL_USE_TLS"),
        "use_ssl": email.get("EMAIL_USE_SSL"),
        "timeout": 10,
    }
    return {
        "default": {
            "BACKEND": email["EMAIL_BACKEND"],
            "OPTIONS": {k: v for k, v in options.items() if v not in (None, "")} if smtp else {},
        }
    }


MAILERS = mailers_from_env("consolemail://")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="后勤管理系统 <noreply@school.local>")

# CACHE
# ------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Short socket timeouts: a page that reads the cache must not hang while Redis is away.
    # logistics.cache: Django's Redis cache, but a Redis outage is a cache miss, not an error page.
    CACHES = {"default": {"BACKEND": "logistics.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
else:
    # Files under var/cache: shared by the web processes and the Celery worker of one machine.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(BASE_DIR / "var" / "cache"), "OPTIONS": {"MAX_ENTRIES": 20_000}}}

# CELERY
# ------------------------------------------------------------------------------
CELERY_DATA_DIR = BASE_DIR / "var" / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # Embedded broker: kombu's filesystem transport needs no server (single machine only).
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"db+sqlite:///{CELERY_DATA_DIR / 'results.sqlite'}"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A dead broker must cost a web request well under a second (the outbox sweep catches up).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
if REDIS_URL:
    # A task whose worker died (kill -9, power loss) is redelivered after this many seconds;
    # longer than CELERY_TASK_TIME_LIMIT so a running task is never handed out twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DATA_DIR / "beat-schedule")
if REDIS_URL:
    # RedBeat keeps the schedule in Redis and holds a lock: a second beat started by mistake
    # waits for the lock instead of sending every job twice.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_KEY_PREFIX = env("REDBEAT_KEY_PREFIX", default="logistics:redbeat:")
    CELERY_REDBEAT_LOCK_TIMEOUT = 5 * 60

# Static beat schedule. Every job is a sweep: it reads the times each school set in the
# database, does what is due, and records what it did so that running it twice (or on two
# workers, or late after downtime) sends nothing twice.
CELERY_BEAT_SCHEDULE = {
    # --- logistics (core) ---
    # Heartbeat: records the last beat run, shown by `manage.py health`.
    "logistics-heartbeat": {"task": "logistics.tasks.heartbeat", "schedule": 60.0},
    # --- assets ---   (each app adds its entries in its own section)
    # Hourly: remind borrowers of overdue loans/keys (one keyed notice per loan per day; catches up by date).
    "assets-sweep": {"task": "assets.tasks.sweep", "schedule": 60 * 60.0},
    # --- repairs ---
    # Every 5 min: escalate requests nobody took in time to the director; auto-close jobs not signed off within N days (marked).
    "repairs-sweep": {"task": "repairs.tasks.sweep", "schedule": 5 * 60.0},
    # Hourly: turn due occurrences of maintenance plans into tickets (one per plan and date; looks back 31 days).
    "repairs-planned-maintenance": {"task": "repairs.tasks.generate_planned_maintenance", "schedule": 60 * 60.0},
    # --- canteen ---
    # Every 15 min: missing meal samples after each meal, health certificates expiring in 30 days, late menus (keyed notices).
    "canteen-sweep": {"task": "canteen.tasks.sweep", "schedule": 15 * 60.0},
    # --- safety ---
    # Every 15 min: generate due inspections (catching up 62 days), remind of today's inspections and near/overdue hazards (keyed per day), escalate overdue hazards.
    "safety-sweep": {"task": "safety.tasks.sweep", "schedule": 15 * 60.0},
    # --- procurement ---
    # Hourly: last month's finance disclosure for every school that has none yet (new month → made once; catches up).
    "procurement-monthly-disclosures": {"task": "procurement.tasks.generate_monthly_disclosures", "schedule": 60 * 60.0},
}

# LOGGING
# ------------------------------------------------------------------------------
# LOG_FORMAT=json gives one JSON object per line (python-json-logger) for a log collector;
# every line carries the request ID (X-Request-ID, made up when the proxy sent none).
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "logistics.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools log every layout step at INFO: keep the console readable.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Refused attempts (immutable records, wrong role): user, school, object, action, reason.
        "logistics.audit": {"level": "INFO"},
    },
}

# APPLICATION
# ------------------------------------------------------------------------------
SITE_NAME = _("School Logistics")
# Base URL used in e-mails and QR codes when no request is at hand.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Benchmark mode (python -m benchmarks): adds /bench/ceiling/ and the X-Query-Count header.
BENCHMARK = env.bool("BENCHMARK", default=False)
if BENCHMARK:
    MIDDLEWARE.insert(0, "logistics.bench.QueryCountMiddleware")
# Home-page cards are cached this long per person (rebuilt at once after any change: see logistics/home.py).
HOME_CACHE_SECONDS = env.int("HOME_CACHE_SECONDS", default=60)
# Domain apps in the order the navigation and home page show them.
DOMAIN_APPS = ["assets", "repairs", "safety", "canteen", "procurement"]
