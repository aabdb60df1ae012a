"""The accessibility statement (/kha-nang-tiep-can/): public, in Vietnamese first. The target (WCAG 2.2 AA), how the
pages are checked, what is known not to meet it, and whom to tell (the ACCESSIBILITY_CONTACT_* settings)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

# The day the known gaps listed on the page were last reviewed against the tests (tests/e2e/test_accessibility.py).
REVIEWED_ON = datetime.date(2026, 12, 6)


@login_not_required
@require_safe
def accessibility_statement(request: HttpRequest) -> TemplateResponse:
    contact = {
        "name": settings.ACCESSIBILITY_CONTACT_NAME,
        "email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "phone": settings.ACCESSIBILITY_CONTACT_PHONE,
    }
    return TemplateResponse(request, "portal/accessibility.html", {"contact": contact, "reviewed_on": REVIEWED_ON})
