"""Tests of the dossier's services and checklist, with their fixtures (conftest) and helpers."""

from __future__ import annotations
