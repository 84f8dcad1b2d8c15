"""Suite-wide test configuration."""

import pytest


def _reseed_reference_data() -> None:
    import importlib

    from django.apps import apps

    from motcua.notifications.defaults import ensure_default_templates

    ensure_default_templates()
    importlib.import_module("motcua.documents.migrations.0002_document_types").seed_types(apps, None)


@pytest.fixture(autouse=True)
def _forget_process_memory():
    """Per-process memories of reference data and API tokens outlive a test's rolled-back transaction."""
    from motcua.core import authentication, memo

    memo.clear_all()
    authentication.forget_tokens()
    yield


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """A transactional test (threads on their own connections, the live server of browser tests) ends
    with a flush of every table, which also empties the rows data migrations created (document types,
    message templates). Put them back before each such test, so test order never matters."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("_django_db_helper")
        _reseed_reference_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """PostgreSQL: the audit tables refuse TRUNCATE (core migration 0005), which is how a transactional test
    ends (a flush of every table). The test database alone lets it through; the tests of the triggers turn
    them back on inside their own transaction (motcua/core/tests/test_audit_tampering_is_detected.py)."""
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table, trigger in [
                    ("core_auditlog", "core_auditlog_no_truncate"),
                    ("core_auditcheckpoint", "core_auditcheckpoint_no_truncate"),
                    ("core_audithead", "core_audithead_no_truncate"),
                ]:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
