"""Benchmark and load-test server (make bench / loadtest / faults): production-like
(DEBUG off, whitenoise with the manifest, shared caches) but on loopback only, with a
throwaway secret and the filing rate limits raised so that one client IP can file
thousands of demandes. Never use these settings for a real server."""

from config.env import env

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "bench-only-throwaway-secret-key-never-used-in-production-0123456789"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
# gunicorn bench.wsgi:application: the ceilings answered before the middleware (bench/wsgi.py).
WSGI_APPLICATION = "bench.wsgi.application"
# BENCH_CACHE_PAGES=0: the anonymous page cache's middleware (config.cache.*) is removed, so every
# public page is a miss; the other caches (renditions, counters, database cache) stay as in production.
BENCH_CACHE_PAGES = env("BENCH_CACHE_PAGES", True, cast=bool)
if not BENCH_CACHE_PAGES:
    MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("config.cache.")]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
# Fictional data (generer_donnees) and demo accounts are allowed on this throwaway server.
DEMO_ACCOUNTS_ALLOWED = True
AUTH_PASSWORD_VALIDATORS = []
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Raised rate limits (the load test files 2,000 demandes from 127.0.0.1): said in the output.
INTAKE_LIMITES_DEPOT = {**INTAKE_LIMITES_DEPOT, "formulaire": (1_000_000, 3600), "api": (1_000_000, 3600)}  # noqa: F405
INTAKE_API_ORIGINES = []
AXES_ENABLED = env("AXES_ENABLED", False, cast=bool)
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"base_indisponible": {"()": "config.erreurs.BaseIndisponibleFiltre"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
            "filters": ["base_indisponible"],
        },
    },
}
