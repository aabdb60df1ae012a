from __future__ import annotations

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A login. What a user may see comes from their dated roles (`Role`), never from flags on the user."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
