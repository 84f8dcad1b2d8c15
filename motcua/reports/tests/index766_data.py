"""Generated records with known answers for the Decision 766 index (period 2026-Q1): agency A with its
sub-agency B (A's figures roll B's up). Built through the dossier and PAKN services with explicit moments,
so the stored deadlines are what the application computes; the answers below were worked out by hand.

Calendar: Tết 2026 break 14/2–22/2; office hours 07:30–11:30, 13:30–17:00; committed time 5 working days."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps

from motcua.catalog.models import DecisionItem, OnlineClass, PublicationDecision
from motcua.core.transitions import SYSTEM, Applicant
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import DossierEvent, DossierFile, Status
from motcua.dossiers.tests.factories import APPLICANT, World, aware, make_version, receive
from motcua.dossiers.transitions import (
    dossier_accept,
    dossier_confirm_payment,
    dossier_decide,
    dossier_receive_supplement,
    dossier_request_supplement,
    dossier_require_payment,
    dossier_return_result,
)
from motcua.feedback.services import (
    feedback_answer,
    feedback_publish,
    feedback_receive_more_info,
    feedback_refuse,
    feedback_request_more_info,
    feedback_start,
    feedback_submit,
    rating_submit,
)
from motcua.payments.models import Payment

PERIOD = "2026-Q1"
NOW = aware(2026, 12, 1)  # the quarter is over: "at its end" is judged at 31/3 24:00
START, END = date(2026, 1, 1), date(2026, 3, 31)

# (earned, total) per indicator: A with B rolled up, and B alone.
KNOWN_A = {
    "procedures_published": (1, 4),  # v1 published; v2, v3 (A) and vb (B) not
    "progress_public": (9, 9),  # every dossier accepted in the quarter has a lookup code
    "pakn_answers_published": (1, 3),  # f2 published; f3 and fb not
    "dossiers_on_time": (3, 6),  # d1, d3 (pause deducted), d9 on time; d2 late, d4 supplemented twice, b1 late
    "open_within_deadline": (1, 2),  # d6 within, d5 past due; d7 paused (not counted)
    "procedures_online": (3, 4),  # v1 full, v3 level 4, vb full; v2 level 2
    "dossiers_online": (2, 8),  # d2 and b1 online among the 8 dossiers of procedures offered online (d9's is not)
    "online_payment": (2, 3),  # d1 and b1 paid online; d9 paid cash at the desk after a failed online attempt
    "dossiers_digitised": (1, 6),  # d1: digitised papers and an electronic result
    "results_electronic": (2, 6),  # d1, d3
    "data_reused": (0, 9),  # no dossier reused a stored paper (papers/tests and reports/tests/test_digitisation_* do)
    "pakn_on_time": (3, 6),  # f1 refuse ✓, f2 resolve ✗ publish ✓, f3 more-info ✗ resolve ✓, fb resolve ✗
    "ratings_satisfied": (1, 2),  # d1 hài lòng, d4 không hài lòng
}
KNOWN_B = {
    "procedures_published": (0, 1),
    "progress_public": (1, 1),
    "pakn_answers_published": (0, 1),
    "dossiers_on_time": (0, 1),
    "open_within_deadline": (0, 0),
    "procedures_online": (1, 1),
    "dossiers_online": (1, 1),
    "online_payment": (1, 1),
    "dossiers_digitised": (0, 1),
    "results_electronic": (0, 1),
    "data_reused": (0, 1),
    "pakn_on_time": (0, 1),
    "ratings_satisfied": (0, 0),
}

CRITERIA = {
    "total_time": 2,
    "time_per_agency": 2,
    "contacts": 2,
    "agencies_contacted": 2,
    "reception_return": 2,
    "procedure_publicity": 2,
    "staff_attitude": 2,
    "feedback_handling": 2,
    "online_quality": 2,
}


def ensure_weights() -> None:
    """The 2022 weights of the data migration (a transactional test elsewhere may have flushed them)."""
    importlib.import_module("motcua.reports.migrations.0004_index766_seed_2022").seed(apps, None)


def _file(dossier, kind: str, *, digitised: bool = False) -> DossierFile:
    """A file row added to the dossier, the dossier marked changed as every service adding a file does (its
    updated_at: the monthly summaries' freshness signal, dossiers/summaries.py)."""
    dossier.save(update_fields=["updated_at"])
    return DossierFile.objects.create(
        dossier=dossier,
        kind=kind,
        file=f"test/{dossier.code}-{kind}.pdf",
        original_name=f"{kind}.pdf",
        sha256="0" * 64,
        content_type="application/pdf",
        extension=".pdf",
        size=1,
        digitised=digitised,
    )


def _fee(world, dossier, at, *, paid_online: bool, failed_first: bool = False):
    """A fee of 200,000 đ required at `at`, then paid within the hour: online (a payment the gateway confirmed,
    recorded as payments.services.payment_notice records it, and the dossier resumed by SYSTEM) or in cash at
    the desk (the officer's "Xác nhận đã nộp phí", no paid payment), optionally after a failed online attempt."""
    dossier = dossier_require_payment(dossier=dossier, actor=world.officer, amount_vnd=200_000, at=at)
    requirement = DossierEvent.objects.filter(dossier=dossier, action="require_payment").order_by("-at", "-id").first()
    paid_at = at + timedelta(minutes=30)
    n = Payment.objects.count()
    if failed_first:
        Payment.objects.create(
            dossier=dossier,
            requirement=requirement,
            provider="vnpay",
            txn_ref=f"T{n}F",
            amount_vnd=200_000,
            status=Payment.Status.FAILED,
            gateway_response_code="24",
            created_at=at,
        )
    if not paid_online:
        return dossier_confirm_payment(dossier=dossier, actor=world.officer, note="Nộp tiền mặt.", at=paid_at)
    Payment.objects.create(
        dossier=dossier,
        requirement=requirement,
        provider="vnpay",
        txn_ref=f"T{n}P",
        amount_vnd=200_000,
        status=Payment.Status.PAID,
        gateway_transaction_no=f"1400{n:04d}",
        gateway_response_code="00",
        created_at=at,
        paid_at=paid_at,
    )
    return dossier_confirm_payment(dossier=dossier, actor=SYSTEM, at=paid_at)


def _pakn(agency, at):
    return feedback_submit(
        kind="phan_anh",
        category="procedure",
        content="Thời gian giải quyết quá lâu.",
        submitter_name="Nguyễn Văn An",
        submitter_phone="0912345678",
        agency=agency,
        received_at=at,
        actor=Applicant(via="unverified"),
    )


@dataclass
class Data:
    a: World
    b: World
    dossiers: dict = field(default_factory=dict)
    feedback: dict = field(default_factory=dict)


def build() -> Data:
    ensure_weights()
    a = World(committed="5")
    b = World(committed="5")
    b.agency.parent = a.agency
    b.agency.save(update_fields=["parent"])
    data = Data(a, b)
    d = data.dossiers

    # Catalog: v1 (A, full online, published), v2 (A, level 2), v3 (A, level 4), vb (B, full online).
    a.version.online_class = OnlineClass.FULL
    a.version.save(update_fields=["online_class"])
    b.version.online_class = OnlineClass.FULL
    b.version.save(update_fields=["online_class"])
    v2 = make_version(a.agency, committed="5", units=a.units, online=False)
    v2.online_level = 2
    v2.save(update_fields=["online_level"])
    v3 = make_version(a.agency, committed="5", units=a.units)
    v3.online_level = 4
    v3.save(update_fields=["online_level"])
    decision = PublicationDecision.objects.create(
        agency=a.agency,
        number="1/QĐ-UBND",
        signed_on=date(2020, 1, 1),
        effective_on=date(2020, 1, 1),
        applied_at=aware(2020, 1, 1),
    )
    DecisionItem.objects.create(decision=decision, action="new", procedure=a.version.procedure, version=a.version)

    def online(world, at):
        x = receive(world, channel="online", at=at)
        if x.status == Status.SUBMITTED:
            x = dossier_accept(dossier=x, actor=world.officer, at=at)
        return x

    def decide(world, x, at):
        return dossier_decide(dossier=x, actor=world.leader, outcome="approved", at=at)

    # d1: early, digitised papers and an electronic result, returned and rated hài lòng.
    d["d1"] = receive(a, at=aware(2026, 3, 2, 9))
    _file(d["d1"], "component", digitised=True)
    d["d1"] = _fee(a, d["d1"], aware(2026, 3, 2, 10), paid_online=True)  # paused 30 minutes: still early
    d["d1"] = decide(a, d["d1"], aware(2026, 3, 4, 10))
    _file(d["d1"], "result")
    d["d1"] = dossier_return_result(dossier=d["d1"], actor=a.officer, at=aware(2026, 3, 4, 15))
    rating_submit(dossier=d["d1"], actor=SYSTEM, overall="hai_long", criteria=CRITERIA, at=aware(2026, 3, 5, 9))
    # d2: online, decided after its appointment (9/3 17:00): late.
    d["d2"] = decide(a, online(a, aware(2026, 3, 2, 9)), aware(2026, 3, 11, 10))
    # d3: paused 3/3 09:00 → 5/3 09:00 (two working days): due moves 9/3 → 11/3; decided 10/3: not late.
    d["d3"] = receive(a, at=aware(2026, 3, 2, 9))
    d["d3"] = dossier_request_supplement(dossier=d["d3"], actor=a.officer, items=["Giấy tờ"], at=aware(2026, 3, 3, 9))
    d["d3"] = dossier_receive_supplement(dossier=d["d3"], actor=a.officer, at=aware(2026, 3, 5, 9))
    d["d3"] = decide(a, d["d3"], aware(2026, 3, 10, 10))
    _file(d["d3"], "result")
    # d4: asked to supplement twice, finished early: late under Decision 766; returned, rated không hài lòng.
    d["d4"] = receive(a, at=aware(2026, 3, 2, 9))
    for day in (3, 4):
        d["d4"] = dossier_request_supplement(dossier=d["d4"], actor=a.officer, items=["Giấy tờ"], at=aware(2026, 3, day, 9))
        d["d4"] = dossier_receive_supplement(dossier=d["d4"], actor=a.officer, at=aware(2026, 3, day, 10))
    d["d4"] = decide(a, d["d4"], aware(2026, 3, 5, 10))
    d["d4"] = dossier_return_result(dossier=d["d4"], actor=a.officer, at=aware(2026, 3, 5, 15))
    rating_submit(dossier=d["d4"], actor=SYSTEM, overall="khong_hai_long", criteria=CRITERIA, at=aware(2026, 3, 6, 9))
    # d5: running, due 27/3: past its deadline at the end of the quarter.
    d["d5"] = receive(a, at=aware(2026, 3, 20, 9))
    # d6: running, due 6/4: within its deadline at the end of the quarter.
    d["d6"] = receive(a, at=aware(2026, 3, 30, 9))
    # d7: paused at the end of the quarter (not counted either way).
    d["d7"] = receive(a, at=aware(2026, 3, 25, 9))
    d["d7"] = dossier_request_supplement(dossier=d["d7"], actor=a.officer, items=["Giấy tờ"], at=aware(2026, 3, 26, 9))
    # d9: a procedure not offered online (v2), decided early.
    d["d9"] = dossier_receive(
        actor=a.officer,
        procedure_code=v2.procedure.code,
        channel="counter",
        applicant=dict(APPLICANT),
        received_at=aware(2026, 3, 2, 9),
    )
    d["d9"] = _fee(a, d["d9"], aware(2026, 3, 2, 10), paid_online=False, failed_first=True)  # cash after a failed try
    d["d9"] = decide(a, d["d9"], aware(2026, 3, 3, 10))
    # b1: sub-agency B, online, decided late.
    d["b1"] = _fee(b, online(b, aware(2026, 3, 2, 9)), aware(2026, 3, 3, 9), paid_online=True)
    d["b1"] = decide(b, d["b1"], aware(2026, 3, 20, 10))
    # Outside the quarter (must not count): a dossier of A finished in April, its fee paid online in April.
    d["later"] = _fee(a, receive(a, at=aware(2026, 4, 6, 9)), aware(2026, 4, 6, 10), paid_online=True)
    d["later"] = decide(a, d["later"], aware(2026, 4, 7, 10))

    f = data.feedback
    officer, leader = a.specialist, a.leader
    # f1: received Fri 13/2 before Tết; refused Mon 23/2 (due Tue 24/2 over the break): on time.
    f["f1"] = feedback_refuse(
        feedback=_pakn(a.agency, aware(2026, 2, 13, 10)),
        actor=officer,
        reason="Không thuộc thẩm quyền.",
        at=aware(2026, 2, 23, 10),
    )
    # f2: received 13/2; answered 16/3 (due 13/3): late; published 17/3 (due 18/3): on time.
    f2 = _pakn(a.agency, aware(2026, 2, 13, 10))
    f2 = feedback_start(feedback=f2, actor=officer, at=aware(2026, 2, 24, 9))
    f2 = feedback_answer(feedback=f2, actor=officer, answer="Đã chấn chỉnh.", at=aware(2026, 3, 16, 10))
    f["f2"] = feedback_publish(feedback=f2, actor=leader, at=aware(2026, 3, 17, 10))
    # f3: received Mon 2/2; more information asked 10/2 (due 9/2): late; information received 11/2, answered
    # 12/2 (due 11/3, 15 working days over Tết): on time; not published.
    f3 = _pakn(a.agency, aware(2026, 2, 2, 9))
    f3 = feedback_request_more_info(feedback=f3, actor=officer, request="Cho biết số hồ sơ.", at=aware(2026, 2, 10, 9))
    f3 = feedback_receive_more_info(feedback=f3, actor=officer, reply="Hồ sơ số 1", at=aware(2026, 2, 11, 10))
    f3 = feedback_start(feedback=f3, actor=officer, at=aware(2026, 2, 12, 9))
    f["f3"] = feedback_answer(feedback=f3, actor=officer, answer="Đã trả lời.", at=aware(2026, 2, 12, 15))
    # fb: B's, received 2/3, answered 30/3 (due 23/3): late.
    fb = _pakn(b.agency, aware(2026, 3, 2, 9))
    fb = feedback_start(feedback=fb, actor=b.specialist, at=aware(2026, 3, 3, 9))
    f["fb"] = feedback_answer(feedback=fb, actor=b.specialist, answer="Đã trả lời.", at=aware(2026, 3, 30, 10))
    return data
