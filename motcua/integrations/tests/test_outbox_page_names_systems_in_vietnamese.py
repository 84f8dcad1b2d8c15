"""The administrator reading the outbox page sees each message's system by its Vietnamese name, as in the summary
above it, not the internal code ("dvcqg"), and the filter's fields are labelled (found walking the page in a
browser)."""

import re

import pytest

from motcua.dossiers.tests.factories import World, receive
from motcua.integrations.systems import LABELS

from .support import drain

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_message_row_names_its_system_in_vietnamese(client, portal, settings):
    settings.INTEGRATION_MAX_ATTEMPTS = 1
    world = World()
    dossier = receive(world, channel="counter")
    portal.control(fail_next=1)
    drain()  # refused once: dead, so on the page's default list
    client.force_login(world.boss)
    page = client.get("/staff/tich-hop/")
    text = page.content.decode()
    row = re.search(r"<tr>\s*<td>([^<]*)</td><td>" + re.escape(dossier.code) + "</td>", text)
    assert row is not None and row.group(1) == LABELS["dvcqg"]
    assert '<label for="outbox-status">' in text and 'id="outbox-status"' in text
    assert '<label for="outbox-key">' in text and 'id="outbox-key"' in text
