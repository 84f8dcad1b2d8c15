"""Helpers for tests of every app."""

import pytest
from django.db import connection

from .roles import Role
from .services import staff_create


def requires_postgres(func):
    """Mark a test that needs PostgreSQL (row locks, real concurrency); it skips itself on SQLite."""
    func = pytest.mark.postgres(func)
    return pytest.mark.skipif(connection.vendor != "postgresql", reason="cần PostgreSQL")(func)


def make_staff(username: str, *roles: Role, unit=None, password: str = "pw-test-12345"):
    return staff_create(actor=None, username=username, password=password, full_name=f"Cán bộ {username}",
                        unit=unit, roles=list(roles))
