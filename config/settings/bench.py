"""Benchmarks (bench/national.py in process, bench/load.py against gunicorn): production behaviour on loopback.

DEBUG off, the production password hashers, background jobs queued in the database (nobody runs them during a
benchmark: a request pays for the enqueue only, as in production), email kept in memory, persistent database
connections, and only the loopback addresses (plus the test client's "testserver") as hosts. No secrets needed:
the dev key of base.py is fine for data that never leaves the machine.
"""

from config.env import env_int, env_str

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 300)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
