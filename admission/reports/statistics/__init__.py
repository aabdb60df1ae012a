"""Admission statistics for an org subtree and a period, counted in the database.

Every figure is one SQL aggregate (`Count(filter=…)`, `Avg`, grouped `values().annotate()`) over the rows of the
period; Python only walks the small org tree (`admission.reports.scope`), the rows of the printed forms, the
grouped rows (per cell, per grassroots org) and the distinct (start, end) date pairs of the processing times,
never the cases one by one. The admission figures of one period (Biểu 2, the targets, the months) are one query.

What puts an admission into a period is the admission decision (Mẫu 9-KNĐ), the date from which party age runs
(demo-and-reports.md A.5). Admissions are counted from their `AdmissionSnapshot`, written once when the decision
is recorded: the person's classification and the case's cell and org path *on the decision date*, so a later edit
of the person or a restructuring never changes a past figure (`CLASSIFICATION` names its fields).

The submodules:

* `periods` — the period of a report (`Period`) and the same period last year;
* `classification` — what an admission is counted by: the snapshot's fields, the plan categories, the form rows;
* `results` — the lines, the dashboard and the report returned (`Line`, `ShareLine`, `AdmissionReport`…);
* `counting` — the shared counting: a period's admissions in one aggregate query, the grassroots orgs;
* `btctw` — the statistical forms: Biểu 2-BTCTW, 2B-BTCTW, 1-BTCTW and the supplementary table;
* `pipeline` — the funnel of the period's cohort and the processing time of each step;
* `dashboard` — targets, units and months;
* `report` — the entry points `build_dashboard` and `build_report` (one transaction, `_reporting`), and
  `vn_number` / `report_header` for the exports.
"""

from __future__ import annotations

from admission.reports.statistics.classification import CATEGORY_Q, CLASSIFICATION, FORM2_ROWS, RowSpec
from admission.reports.statistics.periods import Period, today_period
from admission.reports.statistics.report import _reporting, build_dashboard, build_report, report_header, vn_number
from admission.reports.statistics.results import (
    AdmissionReport,
    Dashboard,
    FunnelStage,
    Line,
    ShareLine,
    StepTime,
    TargetLine,
    UnitLine,
    ratio,
)

__all__ = [
    "CATEGORY_Q",
    "CLASSIFICATION",
    "FORM2_ROWS",
    "AdmissionReport",
    "Dashboard",
    "FunnelStage",
    "Line",
    "Period",
    "RowSpec",
    "ShareLine",
    "StepTime",
    "TargetLine",
    "UnitLine",
    "_reporting",
    "build_dashboard",
    "build_report",
    "ratio",
    "report_header",
    "today_period",
    "vn_number",
]
