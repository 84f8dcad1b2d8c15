"""The replica router when no replica is configured (the default): nothing changes."""

import contextvars

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from motcua.core import replica
from motcua.core.models import Agency


def test_migrations_and_writes_never_go_to_the_replica():
    router = replica.ReplicaRouter()
    assert router.allow_migrate(replica.REPLICA, "core") is False
    assert router.allow_migrate("default", "core") is True
    assert contextvars.Context().run(router.db_for_write, Agency) == "default"


@pytest.mark.django_db
def test_without_a_replica_every_read_is_on_the_primary_and_no_cookie_is_set():
    assert not replica.configured()
    assert contextvars.Context().run(lambda: replica.read_tolerant(replica.read_alias)) == "default"
    response = replica.ReadYourWritesMiddleware(lambda r: HttpResponse("ok"))(RequestFactory().post("/"))
    assert replica.PIN_COOKIE not in response.cookies
