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
        {"transactional_db", "live_server"} & set(request.fixturenames))
    if transactional:
        request.getfixturevalue("_django_db_helper")
        _reseed_reference_data()
