"""Seed the rule sets: 294-QĐ/TW + 06-HD/TW in force from 01/7/2025, the reported 208-QĐ/TW + 01-HD/TW (2026),
and the earlier 24-QĐ/TW (2021) and 232-QĐ/TW (2025) for historic cases.

The values are the regulation's, with the confidence tags of domain.md: [C] confirmed, [R] recalled, [U] unconfirmed.
They are frozen here as the record of what was seeded; later versions are added in the admin.
"""

import datetime

from django.db import migrations

R294 = {
    "code": "294-QĐ/TW",
    "name": "Quy định 294-QĐ/TW và Hướng dẫn 06-HD/TW",
    "regulation": (
        "Quy định số 294-QĐ/TW ngày 26/5/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng; "
        "Hướng dẫn số 06-HD/TW ngày 09/6/2025 của Ban Bí thư; Hướng dẫn 12-HD/BTCTW ngày 18/01/2022 (biểu mẫu)."
    ),
    "effective_from": datetime.date(2025, 7, 1),
    "status": "in_force",
    "applies_to_open_cases": False,
    "notes": (
        "[R] cell threshold 2/3 of official members (06-HD/TW §3.6.b); [R] grassroots committee 2/3 of all members; "
        "[U] standing committees: more than half of members (Charter general rule) — verify; "
        "[R] document validity other than the certificate: 12 months — verify per document (06-HD/TW §5.4)."
    ),
}
# Earlier texts, so that cases imported from 2021–2025 resolve a rule set: same values, as domain.md reports.
R24 = {
    "code": "24-QĐ/TW",
    "name": "Quy định 24-QĐ/TW và Hướng dẫn 01-HD/TW (2021)",
    "regulation": "Quy định số 24-QĐ/TW ngày 30/7/2021; Hướng dẫn số 01-HD/TW ngày 28/9/2021 của Ban Bí thư.",
    "effective_from": datetime.date(2021, 7, 30),
    "status": "in_force",
    "applies_to_open_cases": False,
    "notes": "Values as carried into 294-QĐ/TW (domain.md §1.1); seeded for historic cases.",
}
R232 = {
    "code": "232-QĐ/TW",
    "name": "Quy định 232-QĐ/TW",
    "regulation": "Quy định số 232-QĐ/TW ngày 20/01/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng.",
    "effective_from": datetime.date(2025, 1, 20),
    "status": "in_force",
    "applies_to_open_cases": False,
    "notes": "Values as carried into 294-QĐ/TW (domain.md §1.1); seeded for historic cases.",
}
R208 = {
    "code": "208-QĐ/TW",
    "name": "Quy định 208-QĐ/TW và Hướng dẫn 01-HD/TW (2026)",
    "regulation": (
        "Quy định số 208-QĐ/TW ngày 26/7/2026 về thi hành Điều lệ Đảng; Hướng dẫn số 01-HD/TW ngày 19/5/2026 "
        "của Ban Bí thư (reported; primary texts not yet read)."
    ),
    "effective_from": datetime.date(2026, 7, 26),
    "status": "to_verify",
    "applies_to_open_cases": False,
    "notes": (
        "TO VERIFY against the primary text (domain.md §1.2, §10). Differences reported: the ceremony deadline is "
        "counted from the decision's issuance, not its receipt [U]; in communes the standing committee of the "
        "grassroots (commune) committee decides [U] — record that as an admission authority of the commune org; "
        "a sub-grassroots committee (đảng bộ trực thuộc cơ sở) appraises like a partial committee [U]. "
        "All other values copied from 294-QĐ/TW, as the 2026 quiz bank reproduces them unchanged."
    ),
}

VOTES = [
    ("cell", 2, 3, False, "official_members_adjusted", "Điều lệ Điều 4.3; 06-HD/TW §3.6.b [R]"),
    ("grassroots_committee", 2, 3, False, "all_committee_members", "06-HD/TW §3.7.a [R]"),
    ("authorised_grassroots_committee", 2, 3, False, "all_committee_members", "06-HD/TW §3.7.a [R]"),
    ("standing_committee", 1, 2, True, "all_committee_members", "Điều lệ, nguyên tắc chung [U]"),
    ("provincial_standing_body", 1, 2, True, "all_committee_members", "Điều lệ, nguyên tắc chung [U]"),
]


def deadlines(ceremony_from):
    return [
        ("admission_decision", 60, "cell_resolution", "29-QĐ/TW §4.3.1; 294-QĐ/TW [C]"),
        ("admission_decision_extension", 30, "deadline_end", "29-QĐ/TW §4.3.1 [C]"),
        ("ceremony", 30, ceremony_from, "294-QĐ/TW [C]" if ceremony_from == "decision_received" else "208-QĐ/TW [U]"),
        ("recognition_cell", 30, "probation_end", "Điều lệ Điều 5.2 [C]"),
        ("recognition_decision", 30, "cell_resolution", "29-QĐ/TW §4.3.1 [C]"),
        ("recognition_decision_extension", 30, "deadline_end", "29-QĐ/TW §4.3.1 [C]"),
        ("transfer", 60, "move", "294-QĐ/TW §6.3.1 [R]"),
        ("default_task", 10, "task_created", "house default, not a regulation"),
    ]


VALIDITY = [
    ("certificate", 60, "06-HD/TW §5.4 [R]"),
    ("curriculum", 12, "01-HD/TW 2016 [C]; 06-HD/TW [U]"),
    ("introduction", 12, "[U]"),
    ("mass_org_resolution", 12, "[U]"),
    ("opinions", 12, "[U]"),
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("admission", "RuleSet")
    specs = ((R24, "decision_received"), (R232, "decision_received"), (R294, "decision_received"), (R208, "decision_issued"))
    for spec, ceremony_from in specs:
        rule_set, created = RuleSet.objects.get_or_create(code=spec["code"], defaults=spec)
        if not created:
            continue
        for body, num, den, strict, basis, source in VOTES:
            rule_set.vote_rules.create(
                body=body, numerator=num, denominator=den, strictly_more=strict, basis=basis, source=source
            )
        for step, days, start, source in deadlines(ceremony_from):
            rule_set.deadline_rules.create(step=step, working_days=days, starts_from=start, source=source)
        for document, months, source in VALIDITY:
            rule_set.validity_rules.create(document=document, months=months, source=source)


def unseed(apps, schema_editor):
    apps.get_model("admission", "RuleSet").objects.filter(code__in=[r["code"] for r in (R24, R232, R294, R208)]).delete()


class Migration(migrations.Migration):
    dependencies = [("admission", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
