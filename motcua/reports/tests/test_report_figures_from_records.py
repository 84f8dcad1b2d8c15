"""Every figure of the CCHC report equals a count made independently from the records, and moves when
a record changes. The demo gives the seed's catalog figures (46/46, 36/46, levels 6/30/10, 22 abolished,
25 new, 3 amended)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from motcua.catalog.models import DecisionItem, ProcedureVersion
from motcua.core.models import User
from motcua.core.transitions import SYSTEM
from motcua.documents import services as documents
from motcua.reform import services as reform_services
from motcua.reform.models import Recommendation, ReformTask, StaffQuota, TrainingParticipant
from motcua.reports.selectors import cchc_report

from .conftest import TODAY, SeededTestCase

VN = ZoneInfo("Asia/Ho_Chi_Minh")
END = date(2021, 12, 31)


def _in_force(agency, on):
    return [
        v
        for v in ProcedureVersion.objects.filter(agency=agency)
        if v.status != "draft" and v.valid_from and v.valid_from <= on and (v.valid_to is None or v.valid_to > on)
    ]


def independent(agency) -> dict:
    """Counted here from the rows, without the selectors the report uses."""
    versions = _in_force(agency, END)
    cut = [
        v
        for v in versions
        if v.legal_time and v.committed_time is not None and (v.legal_time - v.committed_time) * 100 / v.legal_time >= Decimal(20)
    ]
    items = [
        i
        for i in DecisionItem.objects.select_related("decision")
        if i.decision.agency_id == agency.pk and i.decision.applied_at and date(2021, 1, 1) <= i.decision.effective_on <= END
    ]
    tasks = [t for t in ReformTask.objects.filter(plan__agency=agency, plan__year=2021) if t.status != "cancelled"]
    quotas = list(StaffQuota.objects.filter(unit__agency=agency, year=2021))
    participants = list(TrainingParticipant.objects.filter(course__plan__agency=agency, course__plan__year=2021))
    recs = list(Recommendation.objects.filter(inspection__agency=agency, inspection__year=2021))
    n = len(versions)
    return {
        "procedures_in_force": (n, None),
        "one_stop": (sum(v.one_stop for v in versions), n),
        "cut_20": (len(cut), n),
        "level_2": (sum(v.online_level == 2 for v in versions), None),
        "level_3": (sum(v.online_level == 3 for v in versions), None),
        "level_4": (sum(v.online_level == 4 for v in versions), None),
        "postal": (sum(v.channel_postal for v in versions), n),
        "result_by_post": (sum(v.result_by_post for v in versions), n),
        "four_on_spot": (sum(v.four_on_spot for v in versions), None),
        "decisions_abolished": (sum(i.action == "abolished" for i in items), None),
        "decisions_new": (sum(i.action == "new" for i in items), None),
        "decisions_amended": (sum(i.action == "amended" for i in items), None),
        "tasks_done": (sum(t.status == "done" for t in tasks), len(tasks)),
        "legal_drafts": (agency.legal_drafts.filter(year=2021).count(), None),
        "staff_filled": (sum(q.filled for q in quotas), sum(q.assigned for q in quotas)),
        "training_completed": (sum(p.completed for p in participants), len(participants)),
        "recommendations_closed": (
            sum(r.status == "closed" for r in recs if r.addressee == "agency"),
            sum(r.addressee == "agency" for r in recs),
        ),
        "recommendations_escalated": (sum(r.addressee == "province" for r in recs), None),
    }


def reported(agency) -> dict:
    figures = cchc_report(agency=agency, year=2021, today=TODAY).figures()
    return {key: (f.value, f.of) for key, f in figures.items()}


class TestReportFiguresFromRecords(SeededTestCase):
    def test_report_figures_equal_an_independent_count(self):
        got = reported(self.agency)
        for key, expected in independent(self.agency).items():
            assert got[key] == expected, key

    def test_demo_report_has_the_seeds_catalog_figures(self):
        got = reported(self.agency)
        assert got["one_stop"] == (46, 46)
        assert got["cut_20"] == (36, 46)
        assert (got["level_3"][0], got["level_4"][0], got["level_2"][0]) == (6, 30, 10)
        assert (got["decisions_abolished"][0], got["decisions_new"][0], got["decisions_amended"][0]) == (22, 25, 3)
        assert got["four_on_spot"][0] == 3
        assert got["postal"] == (46, 46)
        assert got["legal_drafts"][0] == 2
        assert got["recommendations_escalated"][0] == 2

    def test_figures_move_when_records_change(self):
        before = reported(self.agency)
        versions = sorted(_in_force(self.agency, END), key=lambda v: v.procedure.code)
        # a procedure leaves the one-stop desk and loses its time cut; another moves from level 2 to level 4
        cut_one = next(
            v
            for v in versions
            if v.legal_time and v.committed_time is not None and v.committed_time < v.legal_time * Decimal("0.8")
        )
        ProcedureVersion.objects.filter(pk=cut_one.pk).update(one_stop=False, committed_time=cut_one.legal_time)
        level_two = next(v for v in versions if v.online_level == 2)
        ProcedureVersion.objects.filter(pk=level_two.pk).update(online_level=4)
        # a task is completed with evidence, a recommendation is closed with evidence
        task = ReformTask.objects.filter(plan__agency=self.agency, status="in_progress").first()
        reform_services.task_add_evidence(actor=SYSTEM, task=task, description="Báo cáo")
        reform_services.task_update_progress(actor=SYSTEM, task=task, progress=100, on=date(2021, 12, 1))
        rec = Recommendation.objects.filter(inspection__agency=self.agency, addressee="agency", status="open").first()
        reform_services.recommendation_add_evidence(
            actor=SYSTEM, recommendation=rec, description="Báo cáo rà soát", reference="99/BC-BQL"
        )
        reform_services.recommendation_close(actor=SYSTEM, recommendation=rec, note="Đã rà soát", on=date(2021, 11, 1))

        after = reported(self.agency)
        assert after["one_stop"] == (before["one_stop"][0] - 1, 46)
        assert after["cut_20"] == (before["cut_20"][0] - 1, 46)
        assert after["level_2"][0] == before["level_2"][0] - 1
        assert after["level_4"][0] == before["level_4"][0] + 1
        assert after["tasks_done"] == (before["tasks_done"][0] + 1, before["tasks_done"][1])
        assert after["recommendations_closed"] == (before["recommendations_closed"][0] + 1, before["recommendations_closed"][1])
        for key, expected in independent(self.agency).items():
            assert after[key] == expected, key

    def test_document_figures_equal_an_independent_count_and_move(self):
        from motcua.documents.models import DocumentFile, DocumentType, IncomingDocument, RegisterKind, SignatureRecord
        from motcua.documents.samples import one_page_pdf

        clerk = User.objects.get(username="vanthu")
        register = documents.register_create(actor=SYSTEM, agency=self.agency, kind=RegisterKind.INCOMING, name="Sổ văn bản đến")
        doc_type = DocumentType.objects.order_by("id").first()
        made = []
        for i, electronic in enumerate([True, True, True, False, True]):
            made.append(
                documents.incoming_register(
                    actor=clerk,
                    register=register,
                    sender="UBND tỉnh",
                    doc_type=doc_type,
                    summary=f"Văn bản số {i}",
                    received_at=datetime(2021, 3, 1 + i, 9, tzinfo=VN),
                    is_electronic=electronic,
                    files=[(f"vb{i}.pdf", one_page_pdf())] if electronic else None,
                )
            )
        # outside the period: not counted
        documents.incoming_register(
            actor=clerk,
            register=register,
            sender="UBND tỉnh",
            doc_type=doc_type,
            summary="Năm sau",
            received_at=datetime(2022, 1, 5, 9, tzinfo=VN),
        )

        def count():
            docs = [
                d
                for d in IncomingDocument.objects.filter(register__agency=self.agency)
                if d.received_at.astimezone(VN).year == 2021
            ]
            electronic = [d for d in docs if not d.steps.filter(paper=True).exists()]
            signed = [d for d in docs if SignatureRecord.objects.filter(file__incoming=d, intact=True, valid=True).exists()]
            return len(electronic), len(docs), len(signed)

        got = reported(self.agency)
        electronic, total, signed = count()
        assert (electronic, total, signed) == (4, 5, 0)
        assert got["documents_electronic"] == (electronic, total)
        assert got["documents_signed"][0] == signed

        # a signature verified on one file → signed moves; a paper step on another → electronic moves
        doc_file = DocumentFile.objects.filter(incoming=made[0]).first()
        SignatureRecord.objects.create(
            file=doc_file,
            signer="Lê Quang Hưng",
            intact=True,
            valid=True,
            trusted=True,
            verified_at=datetime(2021, 3, 1, 10, tzinfo=VN),
        )
        made[1].steps.create(action="handle", at=datetime(2021, 3, 2, 10, tzinfo=VN), note="Xử lý trên giấy", paper=True)
        got = reported(self.agency)
        assert count() == (3, 5, 1)
        assert got["documents_electronic"] == (3, 5)
        assert got["documents_signed"][0] == 1
