"""Print the code an authenticator app with the demo key shows now (demo logins that need a second factor)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from demo.second_factor import DEMO_TOTP_SECRET, demo_key


class Command(BaseCommand):
    help = "In mã xác thực hai lớp hiện tại của các tài khoản mẫu (khoá TOTP chung: " + DEMO_TOTP_SECRET + ")."

    def handle(self, *args: Any, **options: Any) -> None:
        totp = TOTP(demo_key())
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{totp.token():06d}  (còn {left} giây; khoá TOTP của các tài khoản mẫu: {DEMO_TOTP_SECRET})")
