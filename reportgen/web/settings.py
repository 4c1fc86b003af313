"""Django settings for `reportgen serve` and `reportgen worker`, read from the environment
(see the README, "The service's settings"). The project folder is REPORTGEN_PROJECT; the
service keeps its database, job queue and secret key in the project's `.reportgen/` folder,
or the database in PostgreSQL (REPORTGEN_DATABASE_URL) and the job queue in Redis
(REPORTGEN_REDIS_URL) when workers run on other machines."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from csp.constants import NONE, SELF
from huey import Huey, RedisHuey, SqliteHuey

PROJECT = Path(os.environ.get("REPORTGEN_PROJECT", ".")).resolve()
STATE = PROJECT / ".reportgen"
# The state (password hashes, every version of exempt papers, the audit log, mail, previews)
# is the service's own: no other local user may read it. `serve` and `worker` also set the
# umask, so that what they create in it (SQLite's -wal and -shm files too) is private.
STATE.mkdir(mode=0o700, parents=True, exist_ok=True)
with contextlib.suppress(OSError):  # another user's folder: theirs to keep
    STATE.chmod(0o700)


def _secret_key() -> str:
    """REPORTGEN_SECRET_KEY, else one made on first start and kept in `.reportgen/`."""
    given = os.environ.get("REPORTGEN_SECRET_KEY")
    if given:
        return given
    kept = STATE / "secret_key"
    if not kept.is_file():
        descriptor = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return kept.read_text().strip()


def _database() -> dict[str, object]:
    """SQLite in `.reportgen/` by default; PostgreSQL from REPORTGEN_DATABASE_URL
    (postgresql://user:password@host:5432/name)."""
    url = os.environ.get("REPORTGEN_DATABASE_URL", "")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": STATE / "db.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    parsed = urlparse(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/"),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        # Each web server thread keeps its connection: PostgreSQL starts a process for each
        # new one, which under load cost a third of a core (benchmarks/load_test.py).
        "CONN_MAX_AGE": 300,
        "CONN_HEALTH_CHECKS": True,
    }


def _jobs() -> Huey:
    """The job queue: huey in SQLite in `.reportgen/` by default, for workers on this
    machine; in Redis from REPORTGEN_REDIS_URL (redis://host:6379/0), for workers anywhere."""
    url = os.environ.get("REPORTGEN_REDIS_URL", "")
    if url:
        return RedisHuey(name="reportgen", url=url, immediate=False, results=True)
    return SqliteHuey(
        name="reportgen", filename=str(STATE / "jobs.sqlite3"), immediate=False, results=True
    )


SECRET_KEY = _secret_key()
DEBUG = False
ALLOWED_HOSTS = os.environ.get("REPORTGEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
HTTPS = os.environ.get("REPORTGEN_HTTPS", "") == "1"  # behind HTTPS: secure cookies, HSTS

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django_htmx",
    "huey.contrib.djhuey",
    "axes",  # sign-in throttling and lock-out
    "csp",
    "reportgen.web",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a refused sign-in into its page
]
# The lock-out is checked first, so that a sign-in refused for it costs no password hash.
AUTHENTICATION_BACKENDS = [
    "reportgen.web.throttle.Throttled",
    "django.contrib.auth.backends.ModelBackend",
]
ROOT_URLCONF = "reportgen.web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reportgen.web.views.common",
            ],
        },
    }
]
DATABASES = {"default": _database()}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # which sends each person where their work is
LOGOUT_REDIRECT_URL = "login"
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_TZ = True
STATIC_URL = "/static/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000_000  # narrative forms
FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000_000
MAX_DATA_FILE = 10_000_000  # an indicator data file uploaded: 10 MB
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("REPORTGEN_PROXY_HTTPS") == "1":  # a proxy in front terminates HTTPS
    # The web server passes X-Forwarded-Proto on only from REPORTGEN_TRUSTED_PROXY (server.py).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: the pages' own scripts, styles and pictures only; no inline
# script or style, no eval, never in a frame, forms posted only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Sign-in throttling (django-axes): after LOGIN_ATTEMPTS wrong passwords for a user name, or
# ten times as many from one address (an office behind one address shares it), sign-in is
# refused for LOGIN_LOCKOUT_MINUTES without trying the password; `reportgen users unlock`
# lifts it at once. The web server gives the client's own address behind a trusted proxy.
AXES_FAILURE_LIMIT = int(os.environ.get("REPORTGEN_LOGIN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("REPORTGEN_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "reportgen.web.throttle.Attempts"
AXES_LOCKOUT_CALLABLE = "reportgen.web.throttle.locked_out"  # the sign-in page says why
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refusal writes nothing
AXES_DISABLE_ACCESS_LOG = True  # the audit log records each sign-in
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

HUEY = _jobs()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "huey": {"handlers": ["console"], "level": "WARNING"},
        # Lock-outs, as they happen (throttle.py); each failed sign-in is in the audit log.
        "reportgen.signin": {"handlers": ["console"], "level": "WARNING"},
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# E-mail (clearance asked, cleared, returned; pack published): written as files in
# `.reportgen/mail/` unless an SMTP server is given.
SITE_URL = os.environ.get("REPORTGEN_SITE_URL", "http://127.0.0.1:8000")  # links in e-mails
DEFAULT_FROM_EMAIL = os.environ.get("REPORTGEN_MAIL_FROM", "reportgen@localhost")
if os.environ.get("REPORTGEN_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["REPORTGEN_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("REPORTGEN_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("REPORTGEN_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("REPORTGEN_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("REPORTGEN_SMTP_TLS", "1") == "1"
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(STATE / "mail")
