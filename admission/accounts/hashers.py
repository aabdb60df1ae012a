"""The password hasher: Argon2id at the OWASP Password Storage Cheat Sheet's recommended minimum.

Django's default (PBKDF2-SHA256, 1,000,000 iterations) costs about 0.23 s of CPU per sign-in here, and Django's own
Argon2 settings (100 MiB, 8 lanes) about 0.2 s: on a two-core server, a morning's sign-ins of a commune's staff queue
behind each other. Argon2id with 19 MiB of memory, 2 passes and 1 lane (OWASP's first recommendation) costs about
17 ms and is memory-hard, which slows a stolen-hash attack on graphics cards far more than PBKDF2's iterations do.
Hashes made by the earlier hashers still verify (PASSWORD_HASHERS lists them after this one) and are re-made with
this one at the user's next sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
