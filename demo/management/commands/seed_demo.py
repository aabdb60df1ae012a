"""Build the demo province (Quảng Ninh after the 2025 reform) and print the test logins. Safe to run again."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from demo.province import PASSWORD, SeedReport, seed_demo
from demo.second_factor import DEMO_TOTP_SECRET, seed_second_factor
from demo.signing import seed_signers

# What each counter of SeedReport.created means, in the order the summary prints them.
CREATED_LABELS: dict[str, str] = {
    "orgs": "tổ chức đảng",
    "authorities": "thẩm quyền kết nạp",
    "people": "người",
    "memberships": "đảng viên trong chi bộ",
    "exemptions": "miễn sinh hoạt, sinh hoạt tạm thời",
    "moves": "chi bộ chuyển về cấp trên",
    "dissolutions": "tổ chức giải thể",
    "users": "tài khoản",
    "person_links": "tài khoản gắn với hồ sơ người",
    "roles": "vai trò",
}


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: tỉnh Quảng Ninh sau sắp xếp 2025 (tổ chức đảng, đảng viên, tài khoản thử nghiệm). "
        "Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            help="Chỉ in danh sách tài khoản dạng JSON: username, password, role, org, org_code.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo()
        second_factor = seed_second_factor([login.username for login in report.logins])
        if options["json"]:
            self.stdout.write(json.dumps([asdict(login) for login in report.logins], ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._summary(report))
        # A demo CA and one certificate per body (SIGNING_DIR, git-ignored): resolutions and decisions are signed.
        signers = seed_signers()
        if signers:
            self.stdout.write(f"Chữ ký số mẫu: {signers} cơ quan, khóa trong {settings.SIGNING_DIR}.")
        self.stdout.write("")
        self.stdout.write(self._table(report))
        if second_factor:
            self.stdout.write("")
            self.stdout.write(
                f"Xác thực hai lớp (bắt buộc với {', '.join(second_factor)}): sau mật khẩu, nhập mã 6 số của ứng dụng "
                f"xác thực có khoá TOTP chung {DEMO_TOTP_SECRET}, hoặc mã do `python manage.py demo_totp` in ra."
            )

    def _summary(self, report: SeedReport) -> str:
        if not report.changed:
            return "Dữ liệu mẫu đã có đủ, không tạo thêm gì."
        parts = [f"{report.created[key]} {label}" for key, label in CREATED_LABELS.items() if report.created[key]]
        return self.style.SUCCESS("Đã tạo dữ liệu mẫu: " + ", ".join(parts) + ".")

    def _table(self, report: SeedReport) -> str:
        header = ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Tổ chức")
        rows = [(login.username, login.password, login.role, login.org or "—") for login in report.logins]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        rule = "  ".join("-" * width for width in widths)
        title = f"Tài khoản thử nghiệm (mật khẩu chung: {PASSWORD})"
        return "\n".join([title, "", line(header), rule, *(line(row) for row in rows)])
