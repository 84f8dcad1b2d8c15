"""Figures for the statistics table: received (carried over, new by channel), finished early / on
time / late, processing within / past the deadline, paused, refused — for a period."""

from datetime import date

import pytest

from motcua.dossiers.selectors import dossier_counts, dossier_list
from motcua.dossiers.transitions import (
    dossier_accept,
    dossier_decide,
    dossier_receive_supplement,
    dossier_refuse,
    dossier_request_supplement,
)

from .factories import World, aware, receive

pytestmark = pytest.mark.django_db


def test_counts_for_march_2026():
    w = World(committed="3")
    d1 = receive(w, at=aware(2026, 2, 20, 9))  # carried over, finished late
    dossier_decide(dossier=d1, actor=w.leader, outcome="approved", at=aware(2026, 3, 5, 9))
    d2 = receive(w, channel="online", at=aware(2026, 3, 1, 20))  # online, accepted in March, early
    dossier_accept(dossier=d2, actor=w.officer, at=aware(2026, 3, 2, 9))
    dossier_decide(dossier=d2, actor=w.leader, outcome="approved", at=aware(2026, 3, 3, 9))
    receive(w, channel="postal", at=aware(2026, 3, 3, 9))  # processing, past its deadline at the end
    receive(w, at=aware(2026, 3, 30, 9))  # processing, within its deadline
    d5 = receive(w, at=aware(2026, 3, 10, 9))  # paused at the end of March
    dossier_request_supplement(dossier=d5, actor=w.officer, items=["Bản vẽ"], at=aware(2026, 3, 11, 9))
    dossier_receive_supplement(dossier=d5, actor=w.officer, at=aware(2026, 4, 6, 9))
    d6 = receive(w, channel="online", at=aware(2026, 3, 3, 9))  # refused at reception
    dossier_refuse(dossier=d6, actor=w.officer, reason="Không thuộc thẩm quyền", at=aware(2026, 3, 4, 9))

    c = dossier_counts(agency=w.agency, start=date(2026, 3, 1), end=date(2026, 3, 31), now=aware(2026, 4, 15, 9))
    assert c["received"] == {"carried_over": 1, "total": 4, "by_channel": {"counter": 2, "online": 1, "postal": 1}}
    assert c["finished"] == {"total": 2, "early": 1, "on_time": 0, "late": 1, "late_766": 1}
    assert c["processing"] == {"within_deadline": 1, "past_deadline": 1}
    assert c["paused"] == 1
    assert c["refused"] == 1 and c["withdrawn"] == 0 and c["stopped"] == 0
    assert dossier_counts(agency=World().agency, start=date(2026, 3, 1), end=date(2026, 3, 31))["received"]["total"] == 0


def test_overdue_filter():
    w = World(committed="3")
    late = receive(w, at=aware(2026, 3, 2, 9))  # due 5/3 17:00
    fresh = receive(w, at=aware(2026, 3, 9, 9))  # due 12/3 17:00
    now = aware(2026, 3, 10, 9)
    assert list(dossier_list(agency=w.agency, overdue=True, now=now)) == [late]
    assert set(dossier_list(agency=w.agency, overdue=False, now=now)) == {fresh}
