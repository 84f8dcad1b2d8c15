"""Inter-agency dossiers (liên thông): a procedure of agency A whose process has a step of agency B.
The dossier moves into B's step and B's queue; each agency acts only on its own steps (403 otherwise,
nothing changed); every step is timed and classified against its own share, across the Tết 2026 break;
the applicant sees one dossier and one due date; BM.05 names the agencies and the handover between them."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from motcua.catalog.models import ProcessStep
from motcua.core.errors import PermissionDeniedError
from motcua.core.models import AuditLog, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.desk.selectors.slips import dossier_for_slips
from motcua.desk.selectors.worklists import worklist
from motcua.desk.slips import render_bm05
from motcua.dossiers.machine import Action, actions_allowed
from motcua.dossiers.models import Dossier, DossierStep, Timeliness
from motcua.dossiers.transitions import (
    dossier_decide,
    dossier_forward,
    dossier_request_supplement,
    dossier_return_to_step,
    dossier_stop,
    dossier_withdraw,
)

from .factories import World, aware, make_agency, receive

pytestmark = pytest.mark.django_db


class Province:
    """Agency A (the Board, deciding) with a step of agency B (a department's land unit)."""

    def __init__(self):
        self.a = World(
            steps=[
                ("Tiếp nhận hồ sơ", "MC", "0.5"),
                ("Thẩm định hồ sơ", "QLDT", "2"),
                ("Ý kiến về đất đai", "-", "3"),
                ("Phê duyệt", "VP", "2"),
                ("Trả kết quả", "MC", "0.5"),
            ],
            valid_from=date(2020, 1, 1),
        )
        self.b = make_agency()
        self.b.name = "Sở Nông nghiệp và Môi trường"
        self.b.save()
        self.b_land = Unit.objects.create(agency=self.b, name="Phòng Đất đai", short_name="DD")
        self.b_other = Unit.objects.create(agency=self.b, name="Phòng Môi trường", short_name="MT")
        step = ProcessStep.objects.get(version=self.a.version, order=3)
        step.unit = self.b_land
        step.agency = self.b
        step.save()
        n = self.b.pk
        self.b_specialist = make_staff(f"dd-cv-{n}", Role.SPECIALIST, unit=self.b_land)
        self.b_leader = make_staff(f"stnmt-ld-{n}", Role.LEADER, unit=self.b_other)
        self.b_officer = make_staff(f"stnmt-mc-{n}", Role.ONE_STOP_OFFICER, unit=self.b_other)


def _state(d: Dossier):
    d.refresh_from_db()
    steps = list(
        DossierStep.objects.filter(dossier=d).order_by("seq").values_list("seq", "agency_id", "handed_over_at", "timeliness")
    )
    return d.status, d.due_at, steps, AuditLog.objects.count()


def _open(d: Dossier) -> DossierStep:
    return DossierStep.objects.select_related("agency", "unit").get(dossier=d, handed_over_at__isnull=True)


def _to_b(p: Province, *, at=None) -> Dossier:
    """Received by A's desk on Wednesday 11/02/2026 09:00, appraised by A, handed to B's land step."""
    d = receive(p.a, at=at or aware(2026, 2, 11, 9, 0))
    dossier_forward(dossier=d, actor=p.a.officer, at=aware(2026, 2, 11, 10, 0))
    dossier_forward(dossier=d, actor=p.a.specialist, at=aware(2026, 2, 12, 15, 0))
    return d


def test_the_dossier_moves_into_the_other_agencys_step_and_queue():
    p = Province()
    d = _to_b(p)
    step = _open(d)
    assert (step.agency, step.unit, step.name) == (p.b, p.b_land, "Ý kiến về đất đai")
    earlier = list(DossierStep.objects.filter(dossier=d, handed_over_at__isnull=False).values_list("agency_id", flat=True))
    assert earlier == [p.a.agency.pk, p.a.agency.pk]
    assert d.agency == p.a.agency  # the dossier stays the deciding agency's
    now = aware(2026, 2, 13, 9, 0)
    b_queue = worklist(user=p.b_specialist, scope="unit", now=now)
    assert [s.dossier.code for s in b_queue.items] == [d.code]
    a_queue = worklist(user=p.a.specialist, scope="unit", now=now)
    assert d.code not in [s.dossier.code for s in a_queue.items]
    # B's leaders see it among their agency's open dossiers while B's step is open; A's leaders still do.
    assert d.code in [x.code for x in worklist(user=p.b_leader, scope="agency", now=now).items]
    assert d.code in [x.code for x in worklist(user=p.a.leader, scope="agency", now=now).items]
    dossier_forward(dossier=d, actor=p.b_specialist, at=aware(2026, 2, 13, 10, 0))
    assert d.code not in [x.code for x in worklist(user=p.b_leader, scope="agency", now=now).items]


def test_the_dossier_agency_cannot_act_on_the_other_agencys_step():
    p = Province()
    d = _to_b(p)
    before = _state(d)
    at = aware(2026, 2, 13, 9, 0)
    for actor, action, kwargs in [
        (p.a.specialist, dossier_forward, {}),
        (p.a.leader, dossier_forward, {}),
        (p.a.leader, dossier_return_to_step, {}),
        (p.a.leader, dossier_decide, {"outcome": "approved"}),
        (p.a.specialist, dossier_request_supplement, {"items": ["Bản đồ địa chính"]}),
    ]:
        with pytest.raises(PermissionDeniedError):
            action(dossier=d, actor=actor, at=at, **kwargs)
    assert _state(d) == before
    assert Action.FORWARD not in actions_allowed(d, p.a.leader)
    assert Action.DECIDE not in actions_allowed(d, p.a.leader)


def test_the_other_agency_acts_on_its_step_only():
    p = Province()
    d = receive(p.a, at=aware(2026, 2, 11, 9, 0))
    dossier_forward(dossier=d, actor=p.a.officer, at=aware(2026, 2, 11, 10, 0))
    before = _state(d)
    # Before the dossier reaches B: B may not act on A's appraisal step.
    for actor in (p.b_specialist, p.b_leader):
        with pytest.raises(PermissionDeniedError):
            dossier_forward(dossier=d, actor=actor, at=aware(2026, 2, 11, 11, 0))
    assert _state(d) == before
    dossier_forward(dossier=d, actor=p.a.specialist, at=aware(2026, 2, 12, 15, 0))
    assert Action.FORWARD in actions_allowed(d, p.b_specialist)
    dossier_forward(dossier=d, actor=p.b_specialist, at=aware(2026, 2, 25, 9, 0))
    assert _open(d).agency == p.a.agency
    before = _state(d)
    # Back at A's approval step: B's staff may neither forward nor decide, nor do the desk's work.
    for actor, action, kwargs in [
        (p.b_specialist, dossier_forward, {}),
        (p.b_leader, dossier_decide, {"outcome": "approved"}),
        (p.b_leader, dossier_stop, {"reason": "Thử"}),
        (p.b_officer, dossier_withdraw, {}),
    ]:
        with pytest.raises(PermissionDeniedError):
            action(dossier=d, actor=actor, at=aware(2026, 2, 25, 10, 0), **kwargs)
    assert _state(d) == before
    assert actions_allowed(d, p.b_leader) == []
    dossier_decide(dossier=d, actor=p.a.leader, outcome="approved", at=aware(2026, 2, 26, 10, 0))
    d.refresh_from_db()
    assert d.status == "decided"


def test_each_step_and_the_whole_dossier_are_timed_and_classified_across_tet_2026():
    p = Province()
    d = _to_b(p)
    dossier_forward(dossier=d, actor=p.b_specialist, at=aware(2026, 2, 25, 9, 0))
    dossier_decide(dossier=d, actor=p.a.leader, outcome="approved", at=aware(2026, 2, 26, 10, 0))
    d.refresh_from_db()
    # One appointment for the applicant: 10 working days after Wed 11/02, Tết days off 16–20/02 skipped.
    assert timezone.localtime(d.due_at) == aware(2026, 3, 4, 17, 0)
    assert d.timeliness == Timeliness.EARLY
    rows = list(DossierStep.objects.filter(dossier=d).order_by("seq"))
    got = [(s.agency_id, timezone.localtime(s.due_at), s.timeliness) for s in rows]
    a, b = p.a.agency.pk, p.b.pk
    assert got == [
        # reception, 0.5 day = 3 h 45 in office time from 09:00: 14:45 the same day; handed over at 10:00
        (a, aware(2026, 2, 11, 14, 45), Timeliness.ON_TIME),
        # appraisal, 2 days = 15 h from 11/02 10:00: Fri 13/02 10:00; handed over on 12/02: early
        (a, aware(2026, 2, 12 + 1, 10, 0), Timeliness.EARLY),
        # B's land step, 3 days = 22 h 30 from Thu 12/02 15:00, the Tết break not counted: Tue 24/02 15:00;
        # handed back on Wed 25/02 09:00: late against its own share
        (b, aware(2026, 2, 24, 15, 0), Timeliness.LATE),
        # approval, 2 days from 25/02 09:00: Fri 27/02 09:00; decided on 26/02: early
        (a, aware(2026, 2, 27, 9, 0), Timeliness.EARLY),
    ]
    assert [s.process_step.order for s in rows] == [1, 2, 3, 4]


def test_the_applicant_sees_one_dossier_and_one_due_date(client):
    p = Province()
    d = _to_b(p)
    d.refresh_from_db()
    page = client.post("/tra-cuu/", {"ma": d.code, "xac_minh": "001090012345"}, follow=True)
    assert page.status_code == 200
    body = page.content.decode()
    assert d.code in body
    # One appointment, the dossier's, whatever agency holds the step; no step's own due date is shown.
    assert "04/03/2026" in body
    assert "24/02/2026" not in body and "13/02/2026" not in body


def test_bm05_shows_the_handover_between_agencies():
    p = Province()
    d = _to_b(p)
    dossier_forward(dossier=d, actor=p.b_specialist, at=aware(2026, 2, 25, 9, 0))
    pdf = render_bm05(dossier_for_slips(pk=d.pk))
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())
    assert "Cơ quan phối hợp giải quyết (liên thông): Sở Nông nghiệp và Môi trường" in text
    assert f"Chuyển liên thông từ {p.a.agency.name}" in text
    assert "Chuyển liên thông từ Sở Nông nghiệp và Môi trường" in text
    assert "Phòng Đất đai" in text and "Trễ hạn" in text


def test_step_shares_are_capped_by_the_dossiers_appointment():
    p = Province()
    ProcessStep.objects.filter(version=p.a.version, order=3).update(duration=Decimal("30"))
    d = _to_b(p)
    d.refresh_from_db()
    assert _open(d).due_at == d.due_at


def test_the_other_agency_opens_the_dossier_from_its_step_on_and_a_third_agency_never(client):
    p = Province()
    d = receive(p.a, at=aware(2026, 2, 11, 9, 0))
    dossier_forward(dossier=d, actor=p.a.officer, at=aware(2026, 2, 11, 10, 0))
    third = World()
    url = f"/staff/dossiers/{d.code}/"
    client.force_login(p.b_specialist)
    assert client.get(url).status_code == 404  # not at B yet
    dossier_forward(dossier=d, actor=p.a.specialist, at=aware(2026, 2, 12, 15, 0))
    page = client.get(url)
    assert page.status_code == 200
    assert "/actions/forward/" in page.content.decode()
    client.force_login(third.specialist)
    assert client.get(url).status_code == 404
    assert client.post(f"{url}actions/forward/").status_code == 404
    # A's leader may not forward B's step through the page; B's specialist may.
    before = _state(d)
    client.force_login(p.a.leader)
    assert client.post(f"{url}actions/forward/").status_code == 403
    assert _state(d) == before
    client.force_login(p.b_specialist)
    assert client.post(f"{url}actions/forward/").status_code == 302
    assert _open(d).agency == p.a.agency


def test_the_api_reads_the_dossier_for_the_other_agency_from_its_step_on(client):
    from rest_framework.authtoken.models import Token

    p = Province()
    d = receive(p.a, at=aware(2026, 2, 11, 9, 0))
    dossier_forward(dossier=d, actor=p.a.officer, at=aware(2026, 2, 11, 10, 0))
    third = World()
    url = f"/api/v1/dossiers/{d.code}/"

    def get(user):
        token = Token.objects.get_or_create(user=user)[0]
        return client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT="application/json")

    assert get(p.b_specialist).status_code == 404
    dossier_forward(dossier=d, actor=p.a.specialist, at=aware(2026, 2, 12, 15, 0))
    answer = get(p.b_specialist)
    assert answer.status_code == 200 and answer.json()["code"] == d.code
    assert get(third.specialist).status_code == 404
