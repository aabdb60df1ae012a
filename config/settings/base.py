"""Settings shared by every environment. No secrets here: they come from the environment (see prod.py)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from admission.core.bounds import MAX_ID
from config.env import env_int, env_list, env_str, file_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "django_fsm_log",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "csp",
    "django_tasks",
    "django_tasks_db",
    "viewflow",
    "viewflow.workflow",
    "pgtrigger",  # the history chain's append-only trigger on PostgreSQL
    # ours
    "admission.core",  # the shared file store (FILE_STORE=database) and the backup commands
    "admission",
    "admission.documents",
    "admission.accounts",  # second factor, API tokens, login lockout
    "demo",  # the demo province and its cases (make run, the tests); config.settings.prod leaves it out
    "workflows",
    "portal",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "admission.core.request_cache.RequestMemoryMiddleware",  # who acts for what, read once per request
    "admission.audit.access.PersonalDataAccessMiddleware",  # who read a person's data (after authentication)
    "config.middleware.LoginRequiredExceptPublicMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "admission.accounts.middleware.SecondFactorMiddleware",  # the one check of is_verified() (after OTPMiddleware)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Argon2id at OWASP's minimum first (admission.accounts.hashers); earlier hashes still verify and are upgraded.
PASSWORD_HASHERS = [
    "admission.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# SQLite by default so that a first run needs nothing; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "admission.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first; English is the translation. Source strings are English, locale/vi holds Vietnamese.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Our catalogue first; locale/vendor holds our Vietnamese translation of viewflow, which ships none.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]  # vendored front-end libraries (static/vendor/*, with their licences)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Scans and generated PDFs: FILE_STORE=filesystem keeps them under MEDIA_ROOT on this host (development, one host);
# FILE_STORE=database keeps them in PostgreSQL (admission.core.files), which every host shares and one backup keeps
# (the default of config.settings.prod; docs/operations.md). A stored file is at most FILE_STORE_MAX_BYTES: above
# the upload limits (SCAN_MAX_BYTES, API_MAX_UPLOAD_BYTES), since a complete dossier carries its scans.
FILE_STORE_MAX_BYTES = env_int(
    "FILE_STORE_MAX_BYTES", 64 * 1024 * 1024, minimum=16 * 1024 * 1024, maximum=1024 * 1024 * 1024
)
STORAGES = {
    "default": {"BACKEND": file_storage("filesystem")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The API's contract (docs/api-changelog.md): RFC 9457 problems for every error, one page shape, bounded bodies,
# JSON answers only (admission.core.api).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "admission.accounts.tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "admission.core.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "admission.core.api.pagination.Pagination",
    # JSON, or multipart (flat fields, lists as repeated fields, files); an endpoint whose body nests objects takes
    # JSON only (admission.core.api.parsers.JSON_ONLY), so that the schema says exactly what it reads.
    "DEFAULT_PARSER_CLASSES": [
        "admission.core.api.parsers.JSONParser",
        "admission.core.api.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "admission.core.api.problems.exception_handler",
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d", "%d/%m/%Y"],
}
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)  # a JSON body
API_MAX_UPLOAD_BYTES = env_int("API_MAX_UPLOAD_BYTES", 12 * 1024 * 1024)  # a multipart body: a scan and its fields
API_MAX_JSON_DEPTH = 16  # objects and lists inside one another
# The tag of each area in the OpenAPI schema, by the module of the view (a view may name its own: `schema_tags`).
API_TAGS = {
    "admission.accounts": "auth",
    "admission.party": "orgs/people",
    "admission.restructuring": "orgs/people",
    "admission.sourcing": "sourcing",
    "admission.dossier": "dossier",
    "admission.decisions": "admission",
    "admission.probation": "probation",
    "admission.documents": "documents",
    "admission.reports": "reports",
    "admission.imports": "imports",
    "notifications": "notifications",
    "portal": "portal",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kết nạp đảng viên — API",
    "DESCRIPTION": "Party-admission workflow API. Every list is scoped to the caller's party units and answers one "
    "page (`count`, `next`, `previous`, `results`; `limit` 1–200, `offset`). Every error is an RFC 9457 problem "
    "(`application/problem+json`) whose `errors` name the refused fields. Changes: docs/api-changelog.md.",
    "VERSION": "1.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "admission.core.api.schema.postprocess_errors",
    ],
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},  # <id:…> paths
    "TAGS": [
        {"name": "auth", "description": "A token for programs"},
        {"name": "orgs/people", "description": "Party organisations, people, members, the caller's roles"},
        {"name": "cases", "description": "Candidate cases: the list, one case, its flow's tasks and steps, history"},
        {"name": "sourcing", "description": "Nomination, sympathisers, helpers, awareness courses, sourcing plans"},
        {"name": "dossier", "description": "The admission dossier, 1-KNĐ to 5-KNĐ"},
        {"name": "admission", "description": "Votes, the approval chain, consents, the decision's deadline"},
        {"name": "probation", "description": "Probation, recognition (10–16-KNĐ), removal, transfers"},
        {"name": "documents", "description": "Generated forms and the complete dossier (PDF)"},
        {"name": "reports", "description": "Admission statistics"},
        {"name": "imports", "description": "Spreadsheet imports"},
        {"name": "notifications", "description": "Notifications, the deadline board, delegations"},
        {"name": "portal", "description": "The candidate's own cases and the public status lookup"},
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "admission.party.models.orgs.OrgKind",
        "NotificationKindEnum": "notifications.models.NotificationKind",
        "RoleKindEnum": "admission.party.models.roles.RoleKind",
        "CandidateStateEnum": "admission.sourcing.models.candidates.CandidateState",
        "EnrollmentStateEnum": "admission.sourcing.models.training.EnrollmentState",
        "StepStatusEnum": "admission.decisions.models.decisions.StepStatus",
        "ConsentKindEnum": "admission.sourcing.models.consents.ConsentKind",
        "ProbationStatusEnum": "admission.probation.models.ProbationStatus",
        "DisciplineKindEnum": "admission.probation.models.DisciplineKind",
        "RemovalReasonEnum": "admission.probation.models.RemovalReason",
        "RemovalReasonValueEnum": "admission.probation.models.REMOVAL_REASON_VALUES",  # a step form's reasons
        "RemovalStatusEnum": "admission.probation.models.RemovalStatus",
        "TransferStatusEnum": "admission.probation.models.TransferStatus",
        "NominationSourceEnum": "admission.sourcing.models.candidates.NominationSource",
        "ChainOutcomeEnum": ["approve", "refuse", "send_back"],  # the flow's chain_step (workflows.admission_forms)
        "RecognitionOutcomeEnum": ["approve", "refuse"],  # the flow's recognition_step
        "CaseCloseOutcomeEnum": ["withdrawn", "not_admitted"],
        "YesNoEnum": ["1", "0"],  # a step's decision as its screen posts it: 1 yes, 0 no
        "SexEnum": "admission.party.models.people.Sex",
        "EthnicityEnum": "admission.rules.reference.lists.ETHNICITY_CHOICES",
        "ReligionEnum": "admission.rules.reference.lists.RELIGIONS",
        "EducationEnum": "admission.rules.reference.lists.EDUCATION_LEVELS",
        "OccupationEnum": "admission.rules.reference.lists.OCCUPATION_CLASSES",
        "EmployerSectorEnum": "admission.rules.reference.lists.EMPLOYER_SECTORS",
        "RestructuringKindEnum": "admission.party.models.restructuring.RestructuringKind",
    },
}

# The workflow app closes a case's open tasks along with the case (admission.sourcing.services.candidates).
CASE_CLOSE_HANDLER = "workflows.services.case_close"

# Background jobs: the Django Tasks API backed by the database (django-tasks-db, `manage.py db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# `manage.py timers_sweep`: when more timers are due than TIMER_PARALLEL_FROM, the ones left after the set-based
# reminder pass are fired by TIMER_DISPATCHERS processes at once, each on its own share of the rows (1: in process).
TIMER_DISPATCHERS = env_int("TIMER_DISPATCHERS", 2, minimum=1, maximum=8)
TIMER_PARALLEL_FROM = env_int("TIMER_PARALLEL_FROM", 200, minimum=1, maximum=1_000_000)

# Generated PDFs: the address printed in the QR code of the dossier footer (the public status lookup, /tra-cuu/).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# A PDF job's lease (admission.documents.generation): a running job records a heartbeat when it starts and every
# DOCUMENTS_HEARTBEAT_SECONDS while it renders; once its last heartbeat is older than DOCUMENTS_LEASE_SECONDS its
# worker is taken for dead (killed, or cut off from the database), and a job still waiting for a worker after
# DOCUMENTS_QUEUED_SECONDS for lost. Such a job is queued again at once by the next request for the document, and by
# `manage.py documents_retry_stale` (run every minute); after DOCUMENTS_MAX_ATTEMPTS starts that never finished it is
# marked failed instead (a document that kills its worker must not do so for ever). The lease covers at least three
# heartbeats, so one slow heartbeat does not pass a live job for dead.
DOCUMENTS_HEARTBEAT_SECONDS = env_int("DOCUMENTS_HEARTBEAT_SECONDS", 10, minimum=1, maximum=60)
DOCUMENTS_LEASE_SECONDS = env_int("DOCUMENTS_LEASE_SECONDS", 45, minimum=15, maximum=600)
DOCUMENTS_QUEUED_SECONDS = env_int("DOCUMENTS_QUEUED_SECONDS", 120, minimum=30, maximum=3600)
DOCUMENTS_MAX_ATTEMPTS = env_int("DOCUMENTS_MAX_ATTEMPTS", 3, minimum=1, maximum=10)
if DOCUMENTS_LEASE_SECONDS < 3 * DOCUMENTS_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("DOCUMENTS_LEASE_SECONDS must be at least three times DOCUMENTS_HEARTBEAT_SECONDS.")
# Digital signatures (PAdES, admission.documents.signing): the bodies' PKCS#12 files, the trusted roots (trust/*.pem)
# and revocation lists (trust/*.crl) live under SIGNING_DIR, outside git and outside MEDIA_ROOT; a timestamp
# server (RFC 3161) is used when SIGNING_TSA_URL is set. The public verification page takes PDFs up to this size.
SIGNING_DIR = Path(env_str("SIGNING_DIR", str(BASE_DIR / ".signing")))
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL", "")
SIGNING_VERIFY_MAX_BYTES = env_int("SIGNING_VERIFY_MAX_BYTES", 20 * 1024 * 1024)
# ... and checks at most this many signatures (over the document and its attached PDFs) and attached PDFs of one
# upload; the rest is reported as not checked (admission.documents.signing.verify).
SIGNING_VERIFY_MAX_SIGNATURES = env_int("SIGNING_VERIFY_MAX_SIGNATURES", 20)
SIGNING_VERIFY_MAX_ATTACHMENTS = env_int("SIGNING_VERIFY_MAX_ATTACHMENTS", 40)

# django-guardian: object permissions drive viewflow queues (one grant per org and role).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-axes: lock an account+IP after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)  # hours
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A budget per account (AXES_FAILURE_LIMIT, from any address), one per address (from any account) and a limit on
# the accounts one address may fail against (password spraying): admission.accounts.lockout.
AXES_HANDLER = "admission.accounts.lockout.AccountAndAddressHandler"
LOCKOUT_ADDRESS_FAILURE_LIMIT = env_int("LOCKOUT_ADDRESS_FAILURE_LIMIT", 20)
LOCKOUT_ADDRESS_ACCOUNT_LIMIT = env_int("LOCKOUT_ADDRESS_ACCOUNT_LIMIT", 10)
# The client's address for the lockout, the public lookup and the logs: X-Forwarded-For is believed only from these
# reverse proxies (addresses or networks, comma-separated); without any, REMOTE_ADDR (admission.core.network).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
AXES_CLIENT_IP_CALLABLE = "admission.core.network.client_ip"

# Second factor (admission.accounts): required of these roles (RoleKind values), of substitutes acting for them,
# and of staff (the admin site); anyone else may opt in. A remembered browser skips it for that many days.
TWO_FACTOR_ROLES = env_list(
    "TWO_FACTOR_ROLES", "committee_member,standing_committee_member,org_board_officer,administrator"
)
TWO_FACTOR_REMEMBER_DAYS = env_int("TWO_FACTOR_REMEMBER_DAYS", 30)
OTP_TOTP_ISSUER = "Kết nạp đảng viên"
# API tokens: one per device, for at most this many days (admission.accounts.tokens).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)

# Content-Security-Policy (django-csp): scripts only from this site, no inline script or event handler. Inline
# styles stay allowed: viewflow's templates and components write style attributes and <style> blocks (Turbo's
# progress bar, the Material components), and so do ours; a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ketnap@localhost")

# Whom to tell when a page is hard to use: named on the accessibility statement (/kha-nang-tiep-can/).
ACCESSIBILITY_CONTACT_NAME = env_str("ACCESSIBILITY_CONTACT_NAME", "")
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")
ACCESSIBILITY_CONTACT_PHONE = env_str("ACCESSIBILITY_CONTACT_PHONE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
