"""What a run of the seed created (counted per kind of row) and the test logins it prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str
    org: str | None
    org_code: str | None


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    logins: list[Login] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values())
