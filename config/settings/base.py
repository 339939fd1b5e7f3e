"""Settings shared by every environment. Values that vary come from env()."""

import datetime
from pathlib import Path

import dj_database_url

from config.env import env, reseaux

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"], cast=list)

INSTALLED_APPS = [
    "catalogue",
    "intake",
    "actualites",
    "pilotage",
    "reseau",
    "operations",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "rest_framework",
    "simple_history",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First, so that page views served from the page cache are counted (usage report, no cookie).
    "reseau.middleware.CompteurPagesMiddleware",
    "config.cache.AnonymousUpdateCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A locked-out account is refused before any view runs.
    "axes.middleware.AxesMiddleware",
    "config.cache.AnonymousFetchFromCacheMiddleware",
    # After the page cache: the worker's copies of the sites, site roots, view restrictions and
    # settings for the pages it does not serve (catalogue/cache_worker.py).
    "catalogue.middleware.CacheWorkerMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "catalogue.context_processors.plateforme",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env("DATABASE_CONN_MAX_AGE", 60, cast=int),
        # A kept connection is checked before each request reuses it: after a database
        # restart, the next request reconnects instead of failing (make faults).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (make run, small installs): readers never block the writer (WAL), a writer waits
    # up to 20 s for the lock instead of failing with "database is locked", and a transaction
    # takes the write lock when it begins (IMMEDIATE), so it cannot fail halfway on an upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout: after AXES_FAILURE_LIMIT failures, the username is locked for
# AXES_COOLOFF_HOURS (per user and IP, so an attacker cannot lock out everyone).
AXES_FAILURE_LIMIT = env("AXES_FAILURE_LIMIT", 5, cast=int)
AXES_COOLOFF_TIME = env("AXES_COOLOFF_HOURS", 1, cast=int)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "compte_verrouille.html"
# Reverse proxies whose X-Forwarded-For is believed (IP addresses or CIDR networks, comma-separated).
# Empty: REMOTE_ADDR is the client. Behind the shipped nginx on the same host: 127.0.0.1. The
# rate limits and the login lock-out read the client address from one function.
TRUSTED_PROXIES = env("TRUSTED_PROXIES", [], cast=reseaux)
AXES_CLIENT_IP_CALLABLE = "intake.depot.ratelimit.adresse_client"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
# One language: no translated trees (Wagtail's default, written here so that code reads the setting).
WAGTAIL_I18N_ENABLED = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Attachments of demandes live here, outside MEDIA_ROOT: never served as files.
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env("EMAIL_PORT", 25, cast=int)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", False, cast=bool)
EMAIL_TIMEOUT = env("EMAIL_TIMEOUT", 20, cast=int)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "emails"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Plateforme d'appui aux territoires <plateforme@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_plateforme",
    }
}
# Anonymous full-page cache: file-based on one host (every worker reads the same versions), Redis across
# hosts. A publication gives new versions to the paths that show what changed (catalogue/cache_pages.py).
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": env("PAGE_CACHE_DIR", str(BASE_DIR / "var" / "cache" / "pages")),
    "TIMEOUT": 300,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
# Image renditions: Wagtail reads then rewrites each one at every render, six queries each on
# the database cache. Kept per worker in memory; a rendition rebuilt after an image change
# is seen by every worker within the timeout.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 300,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
# Page views counted for the usage report (reseau): kept per worker in memory and added to
# the database every few views, so a public page costs no query; a worker that stops loses
# at most its last few views. Redis across hosts.
CACHES["compteurs"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "compteurs",
    "TIMEOUT": None,
}
RESEAU_COMPTEUR_CACHE = "compteurs"
# Page views added to the database every this many views (per worker and section).
RESEAU_COMPTEUR_SEUIL = env("RESEAU_COMPTEUR_SEUIL", 50, cast=int)
# Wagtail collection where editors publish validated documents of the network's space.
RESEAU_COLLECTION_PUBLIQUE = env("RESEAU_COLLECTION_PUBLIQUE", "Documents du réseau")
# Across hosts, the aliases share one Redis database, each under its own key prefix;
# the page cache is invalidated by writing new versions of paths (config/cache.py), never by
# clear(), which would flush the rate-limit counters too.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": alias,
            "TIMEOUT": timeout,
        }
        for alias, timeout in (("default", 300), ("pages", 300), ("renditions", 3600), ("compteurs", None))
    }
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_SECONDS = env("PAGE_CACHE_SECONDS", 300, cast=int)
CACHE_MIDDLEWARE_KEY_PREFIX = "plateforme"
# Never served from the shared cache: forms, private links, back office, writes, health.
PAGE_CACHE_EXCLUDED_PATHS = [
    "/admin/",
    "/demande",
    "/suivi/",
    "/api/v2/demandes",
    "/sante/",
    "/documents/",
    "/django-admin/",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"ligne": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"base_indisponible": {"()": "config.erreurs.BaseIndisponibleFiltre"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "ligne"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
            "filters": ["base_indisponible"],
        },
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "wagtail": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Content-Security-Policy: the public site loads nothing from elsewhere but video embeds.
CSP_PUBLIC = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "frame-src": "'self' https://www.youtube-nocookie.com https://player.vimeo.com",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
# The Wagtail admin still relies on inline scripts and styles.
CSP_ADMIN = {
    **CSP_PUBLIC,
    "script-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Wagtail ---------------------------------------------------------------
WAGTAIL_SITE_NAME = env("PLATEFORME_NOM", "Plateforme d'appui aux territoires")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "french",
    }
}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "ods", "xls", "xlsx", "ppt", "pptx", "odp", "csv", "txt", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatar from gravatar.com: it would send a hash of each agent's e-mail to a third party
# (and the admin's CSP blocks it anyway). Wagtail shows its default avatar or an uploaded one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_SEARCH_ENABLED = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True


# --- The platform's identity (another département changes only these) -------
def _pourcentage_ou_rien(valeur):
    if not valeur.strip():
        return None
    if not 0 <= int(valeur) <= 100:
        raise ValueError(valeur)
    return int(valeur)


def _date_ou_rien(valeur):
    return datetime.date.fromisoformat(valeur.strip()) if valeur.strip() else None


PLATEFORME = {
    "NOM": WAGTAIL_SITE_NAME,
    "DEPARTEMENT_NOM": env("PLATEFORME_DEPARTEMENT_NOM", "Département de la Haute-Garonne"),
    "DEPARTEMENT_CODE": env("PLATEFORME_DEPARTEMENT_CODE", "31"),
    "LOGO": env("PLATEFORME_LOGO", "img/logo-plateforme.svg"),
    "FAVICON": env("PLATEFORME_FAVICON", "img/favicon.svg"),
    "COULEUR_PRINCIPALE": env("PLATEFORME_COULEUR_PRINCIPALE", "#00566b"),
    "COULEUR_SECONDAIRE": env("PLATEFORME_COULEUR_SECONDAIRE", "#e8a33d"),
    "COURRIEL": env("PLATEFORME_COURRIEL", "plateforme.territoires@cd31.fr"),
    "TELEPHONE": env("PLATEFORME_TELEPHONE", "05 34 33 38 07"),
    "ADRESSE": env("PLATEFORME_ADRESSE", "Hôtel du Département, 1 boulevard de la Marquette, 31090 Toulouse Cedex 9"),
    "PRESIDENT_NOM": env("PLATEFORME_PRESIDENT_NOM", "Sébastien Vincini"),
    "PRESIDENT_TITRE": env("PLATEFORME_PRESIDENT_TITRE", "Président du Conseil départemental de la Haute-Garonne"),
    # The host named by the legal notice; empty: the Département itself, at its address.
    "HEBERGEUR_NOM": env("PLATEFORME_HEBERGEUR_NOM", ""),
    "HEBERGEUR_ADRESSE": env("PLATEFORME_HEBERGEUR_ADRESSE", ""),
    "HEBERGEUR_TELEPHONE": env("PLATEFORME_HEBERGEUR_TELEPHONE", ""),
    # The last RGAA self-assessment: share of the criteria met (0-100) and its date (AAAA-MM-JJ).
    # Empty until one is done: the accessibility statement then says the rate is not measured yet.
    "ACCESSIBILITE_TAUX": env("PLATEFORME_ACCESSIBILITE_TAUX", None, cast=_pourcentage_ou_rien),
    "ACCESSIBILITE_DATE": env("PLATEFORME_ACCESSIBILITE_DATE", None, cast=_date_ou_rien),
    # Place written before the date of letters (« Toulouse, le 1er décembre 2026 »); empty: the
    # town of PLATEFORME_ADRESSE (after its postcode), so nothing is tied to one département.
    "VILLE": env("PLATEFORME_VILLE", ""),
    # Optional image of the President's signature printed on letters: a path under the static
    # files or an absolute path; empty: the signature block is printed without it.
    "SIGNATURE_IMAGE": env("PLATEFORME_SIGNATURE_IMAGE", ""),
}

# /sante/ answers 503 when the oldest email waiting in the outbox is older than this.
SANTE_OUTBOX_AGE_MAX_MINUTES = env("SANTE_OUTBOX_AGE_MAX_MINUTES", 30, cast=int)
# /sante/ answers 503 when `envoyer_notifications` has not completed a pass for this long.
SANTE_ENVOI_AGE_MAX_MINUTES = env("SANTE_ENVOI_AGE_MAX_MINUTES", 5, cast=int)

SAUVEGARDE_DIR = Path(env("SAUVEGARDE_DIR", str(BASE_DIR / "var" / "sauvegardes")))
# `sauvegarder` keeps this many most recent archives and deletes older ones (0: keep them all).
SAUVEGARDE_CONSERVATION_NOMBRE = env("SAUVEGARDE_CONSERVATION_NOMBRE", 14, cast=int)

FIXTURES_DIR = Path(env("FIXTURES_DIR", str(BASE_DIR / "fixtures")))

# Demo accounts (password "demo") may only be created outside production.
DEMO_ACCOUNTS_ALLOWED = False

# --- intake (dépôt des demandes, notifications) -------------------------------
# First numéro given when the table is empty: set it to continue an existing numbering.
INTAKE_NUMERO_DEPART = env("INTAKE_NUMERO_DEPART", 1, cast=int)
# Échéance de premier contact in working days (French public holidays excluded) instead of calendar days.
INTAKE_ECHEANCE_JOURS_OUVRES = env("INTAKE_ECHEANCE_JOURS_OUVRES", False, cast=bool)
# Anti-abuse: minimum seconds between showing the form and submitting it; per-IP limits (count, seconds).
INTAKE_DUREE_MINIMALE_SAISIE = env("INTAKE_DUREE_MINIMALE_SAISIE", 3, cast=int)
INTAKE_LIMITES_DEPOT = {
    "formulaire": (env("INTAKE_LIMITE_FORMULAIRE_PAR_HEURE", 10, cast=int), 3600),
    "api": (env("INTAKE_LIMITE_API_PAR_HEURE", 30, cast=int), 3600),
    # Messages a commune sends from its tracking link, per IP and per link.
    "suivi": (env("INTAKE_LIMITE_SUIVI_PAR_HEURE", 10, cast=int), 3600),
}
# Exports of the demandes list: above this many rows the file is prepared by `generer_exports`
# outside the web workers and offered in « Mes exports » for a few hours, to its owner only.
INTAKE_EXPORT_SYNCHRONE_MAX = env("INTAKE_EXPORT_SYNCHRONE_MAX", 5000, cast=int)
INTAKE_EXPORT_EN_PREPARATION_MAX = env("INTAKE_EXPORT_EN_PREPARATION_MAX", 3, cast=int)
INTAKE_EXPORT_CONSERVATION_HEURES = env("INTAKE_EXPORT_CONSERVATION_HEURES", 24, cast=int)
# Origins allowed to call POST /api/v2/demandes/ from a browser (CORS).
INTAKE_API_ORIGINES = env("INTAKE_API_ORIGINES", [], cast=list)
# Heavy work leaves the request: by default the filing only writes rows and
# `envoyer_notifications` (every minute; a loop beside the server in `make run`) renders the
# accusé PDF and sends. True sends right after the filing commits, in the request.
INTAKE_ENVOI_APRES_COMMIT = env("INTAKE_ENVOI_APRES_COMMIT", False, cast=bool)
# WeasyPrint (accusé PDF) logs every rendering step at INFO.
LOGGING["loggers"]["weasyprint"] = {"handlers": ["console"], "level": "WARNING", "propagate": False}
LOGGING["loggers"]["fontTools"] = {"handlers": ["console"], "level": "WARNING", "propagate": False}

# --- back office (suivi des demandes) ---
# Days after the deadline before an overdue demande is escalated to the administrators.
DEMANDES_DELAI_ESCALADE_JOURS = env("DEMANDES_DELAI_ESCALADE_JOURS", 5, cast=int)
# --- statistiques, open data, cycle de vie des données ---
# Days the personal data of a closed demande (Terminé, Abandonné) is kept before
# `manage.py anonymiser_demandes` (run daily) blanks it, history rows included.
INTAKE_RETENTION_JOURS = env("INTAKE_RETENTION_JOURS", 3 * 365, cast=int)
# Open data: a territory cell below this count is merged into a wider one (README).
INTAKE_OPENDATA_SEUIL = env("INTAKE_OPENDATA_SEUIL", 5, cast=int)
# --- actualites ---------------------------------------------------------------
# Wagtail's page privacy asks `request.user.is_authenticated` in the pages API: an
# anonymous API client must be AnonymousUser (not None) or any login-restricted page
# (reserved ressources) makes /api/v2/pages/ fail. No authentication class is added.
REST_FRAMEWORK["UNAUTHENTICATED_USER"] = "django.contrib.auth.models.AnonymousUser"

# --- pilotage ------------------------------------------------------------------
# Days before a partner convention's échéance when the administrators are reminded
# (`relancer_conventions`, daily), e.g. PILOTAGE_RAPPEL_CONVENTIONS_JOURS=90,30.
PILOTAGE_RAPPEL_CONVENTIONS_JOURS = env(
    "PILOTAGE_RAPPEL_CONVENTIONS_JOURS", [90, 30], cast=lambda raw: [int(j) for j in raw.split(",") if j.strip()]
)
