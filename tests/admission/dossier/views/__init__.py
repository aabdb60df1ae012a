"""Tests of the dossier screens, with their fixtures (conftest) and helpers."""

from __future__ import annotations
