"""Add demo candidate cases at every human step of sourcing, training, admission and probation (after seed_demo).
Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from demo.admission_cases import probation_flows_start, seed_admission_cases
from demo.portal import seed_portal
from demo.probation import seed_probationers
from demo.sourcing_cases import seed_demo_cases


class Command(BaseCommand):
    help = (
        "Tạo hồ sơ quần chúng mẫu ở mọi bước tạo nguồn, bồi dưỡng, kết nạp và dự bị (chạy sau seed_demo). "
        "Chạy lại không tạo trùng."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = seed_demo_cases() + seed_admission_cases() + seed_probationers()
        probation_flows_start()
        lookup = seed_portal()
        self.stdout.write(f"Đã tạo {created} hồ sơ quần chúng mẫu." if created else "Hồ sơ mẫu đã có, không tạo thêm.")
        if lookup:
            self.stdout.write(lookup)
