"""Local development: SQLite, mails written to files, demo accounts allowed."""

from config.env import env

from .base import *  # noqa: F401,F403
from .base import BASE_DIR

DEBUG = env("DJANGO_DEBUG", True, cast=bool)
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-secret-key-not-for-production")
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"], cast=list)
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "emails"))
DEMO_ACCOUNTS_ALLOWED = True
# Links in e-mails and PDFs point to the port `make run PORT=…` serves on.
PORT = env("PORT", 8000, cast=int)
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{PORT}")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# Demo password "demo" is short on purpose; real accounts keep the validators.
AUTH_PASSWORD_VALIDATORS = []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
