"""Tests: fast hashing, in-memory e-mail, throw-away media, tasks run eagerly unless a test starts a worker."""
import os
import tempfile

from logistics.settings.base import *  # noqa: F401,F403
from logistics.settings.base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
if os.environ.get("TEST_EMAIL_FILE_PATH"):
    # Subprocesses started by tests (gunicorn, Celery workers) write e-mails where the test counts them.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                           "OPTIONS": {"file_path": os.environ["TEST_EMAIL_FILE_PATH"]}}}
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="logistics-test-media-")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A queue of its own so a test worker never takes a developer's tasks and vice versa.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TEST_QUEUE", "logistics-test")
AXES_ENABLED = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests see the database as it is now (tests that check the home-card cache turn it on).
HOME_CACHE_SECONDS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) so that a Celery worker subprocess can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME", str(BASE_DIR / "var" / "test-db.sqlite3"))}  # noqa: F405
