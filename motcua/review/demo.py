"""Demo reviews (loaded by `manage.py seed_demo` after the catalog and the dossiers): the reviews that produced
the demo catalog's time cuts, and the 2021 review of every procedure in force.

Each publication decision of the demo catalog that put in force a version cutting the time by at least 20 %
(the catalog's `cut_reaches_threshold`) answers proposals of a review plan: the plan of the year the review
ended, at least two months before the decision (2310/QĐ-UBND of 15/11/2019 → 2019, 06/QĐ-UBND of 04/01/2021
→ 2020, 712/QĐ-UBND of 26/03/2021 → 2021). One proposal per cut procedure, proposing the published committed
time, sent as an outgoing document (left as a draft: the demo does not invent its number) and adopted by
that decision. The 2021 plan also lists every other procedure in force, reviewed without a proposal. So the
count of adopted proposals with a cut of at least 20 % is the catalog's own 36, from records.

The cost parameters and the cost inputs of the 2021 plan are illustrative (their `source`/`note` say so)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from motcua.catalog.models import DecisionItem, ProcedureVersion, PublicationDecision
from motcua.core.models import Unit, User
from motcua.core.transitions import SYSTEM

from . import services
from .models import CostParameters, ReviewPlan

ILLUSTRATIVE = "số liệu minh họa, cần thay bằng số liệu do cơ quan thống kê công bố"
REASON = "Kết quả rà soát quy trình nội bộ: các bước thẩm định, phê duyệt thực hiện được trong thời gian ngắn hơn."
LEGAL_BASIS = "Đề nghị Chủ tịch UBND tỉnh công bố thời hạn giải quyết mới của thủ tục %s."
LEGAL_BASIS = "Đề nghị Chủ tịch UBND tỉnh công bố thời hạn giải quyết mới của thủ tục %s."
INCOME = {2019: 60_000_000, 2020: 64_500_000, 2021: 70_500_000}


def _plan_year(decision: PublicationDecision) -> int:
    return (decision.signed_on - timedelta(days=60)).year


def _cut_items(decision: PublicationDecision) -> list[tuple[DecisionItem, ProcedureVersion]]:
    """(item, version reviewed) for each version the decision published with a cut of at least 20 % that the
    version before it (if any) did not have at that length."""
    out = []
    for item in decision.items.select_related("version", "procedure").order_by("id"):
        v = item.version
        if v is None or not v.cut_reaches_threshold:
            continue
        if item.action == DecisionItem.Action.NEW:
            out.append((item, v))
            continue
        before = item.procedure.versions.filter(number__lt=v.number).order_by("-number").first()
        if before is not None and (before.effective_time is None or before.effective_time > v.effective_time):
            out.append((item, before))
    return out


def seed(*, agency, stdout=None) -> None:
    if ReviewPlan.objects.filter(agency=agency).exists():
        if stdout:
            stdout.write("Rà soát TTHC: đã có dữ liệu.")
        return
    decisions = list(PublicationDecision.objects.filter(agency=agency, applied_at__isnull=False).order_by("signed_on", "id"))
    if not decisions:
        if stdout:
            stdout.write("Rà soát TTHC: chưa có quyết định công bố, bỏ qua.")
        return
    unit = Unit.objects.filter(agency=agency, short_name="QLĐT").first() or Unit.objects.filter(agency=agency).first()
    person = User.objects.filter(username="chuyenvien", unit__agency=agency).first()
    for year, income in INCOME.items():
        CostParameters.objects.get_or_create(
            year=year, defaults={"income_per_year_vnd": income, "source": f"GDP bình quân đầu người năm {year} ({ILLUSTRATIVE})"}
        )
    plans: dict[int, ReviewPlan] = {}
    adopted = 0
    with transaction.atomic():
        for decision in decisions:
            cuts = _cut_items(decision)
            if not cuts:
                continue
            year = _plan_year(decision)
            if year not in plans:
                plans[year] = services.plan_create(
                    actor=SYSTEM,
                    agency=agency,
                    year=year,
                    title=f"Kế hoạch rà soát, đánh giá thủ tục hành chính năm {year}",
                    number=f"{10 + year % 100}/KH-{agency.short_name}",
                    issued_on=date(year, 1, 20),
                )
            for item_row, reviewed in cuts:
                item = services.item_add(
                    actor=SYSTEM,
                    plan=plans[year],
                    procedure=item_row.procedure,
                    unit=unit,
                    responsible=person,
                    deadline=decision.signed_on - timedelta(days=30),
                )
                published = item_row.version
                u = published.get_time_unit_display()
                proposal = services.proposal_save(
                    actor=SYSTEM,
                    item=item,
                    version=reviewed,
                    content=(
                        f"Cắt giảm thời hạn giải quyết xuống {published.committed_time.normalize():f} {u} "
                        f"(thời hạn theo quy định {published.legal_time.normalize():f} {u}, giảm {published.cut_percent}%)."
                    ),
                    reason=REASON,
                    legal_basis=LEGAL_BASIS % item_row.procedure.code,
                    proposed_time=published.committed_time,
                )
                services.proposal_send(actor=SYSTEM, proposal=proposal, recipient_name=agency.superior_name or "UBND tỉnh")
                services.proposal_decide(
                    actor=SYSTEM, proposal=proposal, adopted=True, decided_on=decision.signed_on, decision=decision
                )
                services.item_progress(actor=SYSTEM, item=item, progress=100)
                adopted += 1
        # 2021: every other procedure in force reviewed too (no proposal), with illustrative cost inputs.
        plan = plans.get(2021) or services.plan_create(
            actor=SYSTEM,
            agency=agency,
            year=2021,
            title="Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2021",
            number=f"31/KH-{agency.short_name}",
            issued_on=date(2021, 1, 20),
        )
        listed = set(plan.items.values_list("procedure_id", flat=True))
        for n, version in enumerate(
            ProcedureVersion.objects.filter(agency=agency, status=ProcedureVersion.Status.IN_FORCE)
            .select_related("procedure")
            .order_by("procedure__code")
        ):
            if version.procedure_id in listed:
                continue
            item = services.item_add(
                actor=SYSTEM,
                plan=plan,
                procedure=version.procedure,
                unit=unit,
                responsible=person,
                deadline=date(2021, 6, 30) + timedelta(days=7 * (n % 20)),
            )
            fees = sum(f.amount_vnd for f in version.fees.all())
            services.cost_estimate_set(
                actor=SYSTEM,
                item=item,
                variant="current",
                values={
                    "prepare_hours": Decimal(4 + n % 5),
                    "travel_hours": Decimal(2),
                    "wait_hours": Decimal(1),
                    "fees_vnd": fees,
                },
                note=f"Ước tính minh họa ({ILLUSTRATIVE}); phí, lệ phí theo danh mục.",
            )
            services.item_progress(actor=SYSTEM, item=item, progress=100)
    if stdout:
        stdout.write(
            f"Rà soát TTHC: {len(plans)} kế hoạch có phương án, {adopted} phương án cắt giảm thời gian được thông qua; "
            f"kế hoạch năm 2021 rà soát {plan.items.count()} thủ tục."
        )
