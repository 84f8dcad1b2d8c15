"""A period's report states the facts as of the period's end: a recommendation closed (and a task
completed) in 2026 still shows as not done in the 2021 report — in its figures, its table and the records
behind the figures — and what happened since is told apart ("since then"), not counted in the period."""

from datetime import date

from motcua.core.transitions import SYSTEM
from motcua.reform import services as reform_services
from motcua.reform.models import Recommendation, ReformTask
from motcua.reports.records import figure_records
from motcua.reports.selectors import cchc_report

from .conftest import TODAY, SeededTestCase

LATER = date(2026, 6, 1)
PERIOD_KEYS = ("tasks_done", "recommendations_closed", "recommendations_overdue", "legal_drafts_issued")


class ReportAsOfPeriodEnd(SeededTestCase):
    def test_a_recommendation_closed_in_2026_is_not_done_in_the_2021_report(self):
        before = {k: (f.value, f.of) for k, f in cchc_report(agency=self.agency, year=2021, today=TODAY).figures().items()}
        rec = Recommendation.objects.filter(inspection__agency=self.agency, addressee="agency", status="open").first()
        reform_services.recommendation_start(actor=SYSTEM, recommendation=rec, on=date(2026, 2, 2))
        reform_services.recommendation_add_evidence(actor=SYSTEM, recommendation=rec, description="Báo cáo", reference="5/BC-BQL")
        reform_services.recommendation_close(actor=SYSTEM, recommendation=rec, note="Đã thực hiện", on=date(2026, 3, 2))
        task = ReformTask.objects.filter(plan__agency=self.agency, status="in_progress").first()
        reform_services.task_add_evidence(actor=SYSTEM, task=task, description="Báo cáo")
        reform_services.task_update_progress(actor=SYSTEM, task=task, progress=100, on=date(2026, 3, 2))

        report = cchc_report(agency=self.agency, year=2021, today=LATER)
        after = {k: (f.value, f.of) for k, f in report.figures().items()}
        for key in PERIOD_KEYS:
            assert after[key] == before[key], key
        ix = next(s for s in report.sections if s.number == "IX")
        row = next(r for r in ix.table[1] if r[0] == rec.content)
        assert row[3] == "Chưa thực hiện"  # its status on 31/12/2021
        assert (
            "Sau kỳ báo cáo, đến ngày 01/06/2026: đã thực hiện xong thêm 1 kiến nghị và hoàn thành thêm 1 nhiệm vụ "
            "(không tính vào số liệu của kỳ báo cáo)."
        ) in ix.paragraphs

        # the records behind each figure are the same rows (their count is the figure)
        for key in ("recommendations_closed", "recommendations_overdue", "tasks_done"):
            records = figure_records(agency=self.agency, year=2021, key=key, today=LATER)
            assert len(records.rows) == after[key][0], key
        closed = figure_records(agency=self.agency, year=2021, key="recommendations_closed", today=LATER)
        assert rec.content not in [r[0] for r in closed.rows]
        overdue = figure_records(agency=self.agency, year=2021, key="recommendations_overdue", today=LATER)
        assert rec.content in [r[0] for r in overdue.rows]

        # the 2026 view of today's state: the recommendation is done now
        assert Recommendation.objects.get(pk=rec.pk).status == "closed"

    def test_a_report_written_inside_the_period_has_no_since_then(self):
        report = cchc_report(agency=self.agency, year=2021, today=date(2021, 12, 20))
        ix = next(s for s in report.sections if s.number == "IX")
        assert not any(p.startswith("Sau kỳ báo cáo") for p in ix.paragraphs)
