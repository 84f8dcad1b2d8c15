"""The cross-agency test, generated from the code (docs/tenancy.md, "The tests that hold it").

Agency A (the demo Board, seeded with the apps' demo seeders) and agency B (staff for every role). The test
walks EVERY URL pattern of the URL configuration and EVERY OpenAPI operation, fills each pattern's kwargs
from A's objects (`PAGE_KWARGS` / `API_PARAMS`, or `EXEMPT` with a reason), and as each role of B:
- reads of A's objects answer 403/404; list pages and API lists show none of A's private markers;
- writes (POST, and every write method the OpenAPI schema gives) answer 403/404 (405 where the page takes no
  such method) and change nothing (row counts and newest updates of every model, the audit log);
- every case is sent once more with `?agency=<A>`: an explicit agency never wins over the user's scope.
A new URL whose kwargs cannot be filled makes the test fail, listing it. The province supervisor and a
superuser read A's objects (200) by design; the supervisor acts on none of them.

`test_the_checker_catches_an_unscoped_view` registers a deliberately unscoped view and shows the checker
reports it (a test of the test)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.http import JsonResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from motcua.core.models import AuditLog, Unit, User
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.tests.crossagency import db_fingerprint, fingerprint_diff, second_agency
from motcua.core.transitions import SYSTEM

pytestmark = pytest.mark.django_db

REFUSED = {403, 404}
CASES_FLOOR = 800

# Patterns that take no object of an agency, or are public by design, with the reason.
EXEMPT_PREFIXES = {
    "admin/": "Django admin: the installation's administrators only (is_staff); B's staff are sent to its login",
    "media/": "uploaded files are not served by Django outside DEBUG",
    "favicon.ico": "a static file",
}
EXEMPT_NAMES = {
    "core:login": "authentication: no agency's records",
    "core:logout": "authentication: signs the walking user out",
    "core:otp-verify": "authentication: the user's own second factor",
    "core:otp-enrol": "authentication: the user's own second factor",
    "citizens:staff-login": "authentication: staff sign-in with the staff OpenID Connect provider (503 when not configured)",
    "citizens:staff-callback": "authentication: the staff provider's redirect back (no agency's records)",
    "catalog:public-detail": "public catalog: published procedures of every agency",
    "catalog:public-form": "public catalog: procedure forms of every agency",
    "feedback:published-detail": "public: answered PAKN published by their agency",
    "feedback:open311-request": "Open311 public API: published requests",
    "portal:draft-resume": "public portal: the citizen's draft, by its secret token",
    "portal:submitted": "public portal: the citizen's receipt, by its secret token",
    "portal:submit": "public portal: online submission to any agency's procedure",
    "portal:lookup-detail": "public portal: dossier lookup by code and the applicant's secret",
    "portal:supplement": "public portal: by code and the applicant's secret",
    "portal:result-download": "public portal: by code and the applicant's secret",
    "portal:rating": "public portal: by code and the applicant's secret",
    "portal:payment": "public portal: by code and the applicant's secret",
    "portal:withdraw": "public portal: by code and the applicant's secret, or the signed-in citizen's number",
    "payments:receipt": "public: a payment receipt by the secret token of its link",
    "results:verify": "public: an electronic result's verification page, by the secret token of its QR code",
    "dossiers:postal-callback": "the postal operator's tracking callback: no session, its HMAC signature (401 without)",
    "citizens:reuse-paper": "public: the signed-in citizen's own dossier, by their personal number (else 404)",
}
# OpenAPI operations public by design (GET only): the catalog is published data of every agency.
PUBLIC_API_READS = {"/api/v1/procedures/", "/api/v1/procedures/{code}/", "/api/v1/schema/", "/api/v1/fields/"}


@dataclass
class World:
    a: object
    b: object
    values: dict  # what A owns, by name
    markers: list[str]  # strings of A's private records that no page of B may show
    staff_b: dict
    control: User  # A's own administrator: every object case answers it (so the kwargs are right)
    supervisor: User
    superuser: User


@dataclass
class Case:
    label: str
    method: str
    url: str
    body: dict = field(default_factory=dict)
    kind: str = "object"  # "object": refused; "list": no marker of A
    api: bool = False


def _walk(patterns, prefix="", ns=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns and p.name else p.name
            yield prefix + str(p.pattern), name, list(p.pattern.regex.groupindex), p


def build_world() -> World:
    from motcua.catalog import demo as catalog_demo
    from motcua.catalog import services as catalog_services
    from motcua.catalog.models import DecisionItem, ProcedureVersion
    from motcua.core import demo as core_demo
    from motcua.core.testing import pdf_bytes
    from motcua.documents import services as doc_services
    from motcua.documents.models import DocumentType, RegisterKind
    from motcua.dossiers.generate import generate_dossiers
    from motcua.dossiers.models import Dossier, DossierFile
    from motcua.feedback import demo as feedback_demo
    from motcua.reform import demo as reform_demo
    from motcua.reform.models import Inspection, LegalDraft, Recommendation, ReformTask
    from motcua.reports.models import IssuedReport

    class _Out:
        def write(self, *args, **kwargs):
            pass

    a = core_demo.seed()
    catalog_demo.seed(agency=a)
    reform_demo.seed(agency=a)
    feedback_demo.seed(agency=a, stdout=_Out())
    generate_dossiers(agency=a, count=12, years=[2021], seed=2021)
    vp = Unit.objects.get(agency=a, short_name="VP")
    control = make_staff("a-control", Role.ADMINISTRATOR, unit=vp)
    a_leader = User.objects.get(username="lanhdao")
    # documents: one incoming, one outgoing with a file, in A's registers
    types = {t.code: t for t in DocumentType.objects.all()}
    doc_type = next(iter(types.values()))
    reg_in = doc_services.register_create(actor=SYSTEM, agency=a, kind=RegisterKind.INCOMING, name="Sổ văn bản đến")
    reg_out = doc_services.register_create(actor=SYSTEM, agency=a, kind=RegisterKind.OUTGOING, name="Sổ văn bản đi")
    incoming = doc_services.incoming_register(
        actor=control, register=reg_in, sender="UBND tỉnh", doc_type=doc_type, summary="Về việc bí mật của Ban XYZQ-IN"
    )
    outgoing = doc_services.outgoing_create_draft(
        actor=control,
        register=reg_out,
        doc_type=doc_type,
        summary="Dự thảo riêng của Ban XYZQ-OUT",
        drafting_unit=vp,
        files=[("du-thao.pdf", pdf_bytes(1, "x"))],
    )
    doc_file = outgoing.files.get()
    decision = catalog_services.decision_create(
        actor=SYSTEM,
        agency=a,
        number="77/QĐ-XYZQ",
        signed_on=date(2021, 12, 1),
        effective_on=date(2021, 12, 15),
        signer="Trưởng ban",
    )
    version = ProcedureVersion.objects.filter(agency=a).select_related("procedure").order_by("id").first()
    catalog_services.decision_item_add(
        actor=SYSTEM, decision=decision, action=DecisionItem.Action.ABOLISHED, procedure=version.procedure
    )
    item = decision.items.first()
    dossier = Dossier.objects.filter(agency=a).order_by("id").first()
    from django.core.files.base import ContentFile

    pdf = pdf_bytes(1, "ho so")
    dfile = DossierFile.objects.create(
        dossier=dossier,
        file=ContentFile(pdf, name="giay-to.pdf"),
        original_name="giay-to.pdf",
        sha256="0" * 64,
        content_type="application/pdf",
        extension="pdf",
        size=len(pdf),
    )
    from django.utils import timezone

    from motcua.digitisation.models import OcrJob

    now = timezone.now()
    ocr_job = OcrJob.objects.create(
        file=dfile,
        dossier=dossier,
        agency=a,
        seal_agency=a,
        status="done",
        output=ContentFile(pdf, name="ban-so-hoa.pdf"),
        output_sha256="0" * 64,
        finished_at=now,
        next_attempt_at=now,
        created_at=now,
    )
    from motcua.feedback.models import Feedback

    feedback = Feedback.objects.filter(agency=a).exclude(status="published").order_by("id").first()
    from motcua.reports import services as report_services
    from motcua.review import services as review_services

    plan = review_services.plan_create(actor=a_leader, agency=a, year=2022, title="Kế hoạch rà soát XYZQ")
    review_item = review_services.item_add(
        actor=a_leader, plan=plan, procedure=version.procedure, unit=vp, deadline=date(2022, 6, 30)
    )
    review_services.proposal_save(actor=a_leader, item=review_item, content="Rút ngắn thời gian XYZQ", reason="Thừa bước")
    issued = report_services.cchc_report_issue(actor=a_leader, agency=a, year=2021)
    assert issued.pk and IssuedReport.objects.filter(agency=a).exists()
    values = {
        "agency": a.short_name,
        "year": 2021,
        "decision": decision.pk,
        "item": item.pk,
        "procedure": version.procedure.code,
        "version": version.number,
        "dossier": dossier.code,
        "dossier_file": dfile.pk,
        "ocr_job": ocr_job.pk,
        "feedback": feedback.code,
        "task": ReformTask.objects.filter(plan__agency=a).first().pk,
        "draft": LegalDraft.objects.filter(agency=a).first().pk,
        "inspection": Inspection.objects.filter(agency=a).first().pk,
        "recommendation": Recommendation.objects.filter(inspection__agency=a).first().pk,
        "incoming": incoming.pk,
        "outgoing": outgoing.pk,
        "doc_file": doc_file.pk,
        "register": reg_in.pk,
        "issued": issued.pk,
        "review_plan": plan.pk,
        "review_item": review_item.pk,
    }
    markers = ["XYZQ", decision.number, feedback.code, dossier.code]
    if feedback.submitter_phone:
        markers.append(feedback.submitter_phone)
    b, _unit, staff_b = second_agency("B")
    supervisor = make_staff("tinh-giamsat", Role.PROVINCE_SUPERVISOR)
    superuser = make_staff("sieuquantri")
    superuser.is_superuser = True
    superuser.is_staff = True
    superuser.save()
    return World(
        a=a, b=b, values=values, markers=markers, staff_b=staff_b, control=control, supervisor=supervisor, superuser=superuser
    )


def page_kwargs(name: str, v: dict) -> dict | None:
    """The kwargs of a page pattern filled from A's objects; None when this table does not know the pattern."""
    table = {
        "catalog:decision": {"pk": v["decision"]},
        "catalog:decision-apply": {"pk": v["decision"]},
        "catalog:decision-item-remove": {"pk": v["decision"], "item_pk": v["item"]},
        "dossiers:detail": {"code": v["dossier"]},
        "dossiers:action": {"code": v["dossier"], "action": "forward"},
        "dossiers:file": {"code": v["dossier"], "file_id": v["dossier_file"]},
        "dossiers:postal-resolve": {"code": v["dossier"]},
        "results:issue": {"code": v["dossier"]},
        "digitisation:copy": {"job_id": v["ocr_job"]},
        "digitisation:requeue": {"job_id": v["ocr_job"]},
        "papers:consent": {"code": v["dossier"]},
        "papers:reuse": {"code": v["dossier"]},
        "papers:store": {"code": v["dossier"]},
        "desk:slips": {"code": v["dossier"]},
        "desk:slip-pdf": {"code": v["dossier"], "kind": "bm01"},
        "feedback:detail": {"code": v["feedback"]},
        "feedback:action": {"code": v["feedback"], "name": "start"},
        "documents:incoming_detail": {"pk": v["incoming"]},
        "documents:incoming_assign": {"pk": v["incoming"]},
        "documents:incoming_handle": {"pk": v["incoming"]},
        "documents:outgoing_detail": {"pk": v["outgoing"]},
        "documents:outgoing_action": {"pk": v["outgoing"], "action": "submit"},
        "documents:file_download": {"pk": v["doc_file"]},
        "documents:register_export": {"pk": v["register"]},
        "reform:task-detail": {"pk": v["task"]},
        "reform:draft-advance": {"pk": v["draft"]},
        "reform:inspection-detail": {"pk": v["inspection"]},
        "reform:inspection-minutes": {"pk": v["inspection"], "fmt": "pdf"},
        "reform:recommendation-detail": {"pk": v["recommendation"]},
        "reform:create": {"kind": "plan"},  # no object: its target is ?agency=A (added to every case)
        "reform:inspection-add": {"pk": v["inspection"], "kind": "checklist"},
        "reports:cchc": {"agency": v["agency"], "year": v["year"]},
        "reports:cchc-records": {"agency": v["agency"], "year": v["year"], "key": "procedures_in_force"},
        "reports:cchc-download": {"agency": v["agency"], "year": v["year"], "fmt": "docx"},
        "reports:cchc-issue": {"agency": v["agency"], "year": v["year"]},
        "reports:cchc-issued-download": {"pk": v["issued"], "fmt": "pdf"},
        "reports:index766-records": {"agency": v["agency"], "period": str(v["year"]), "indicator": "dossiers_on_time"},
        "reports:periodic": {"agency": v["agency"], "period": str(v["year"])},
        "reports:periodic-download": {"agency": v["agency"], "period": str(v["year"]), "fmt": "xlsx"},
        "reports:periodic-send": {"agency": v["agency"], "period": str(v["year"])},
        "reports:digitisation-records": {"agency": v["agency"], "period": str(v["year"]), "measure": "digitised"},
        "review:plan": {"pk": v["review_plan"]},
        "review:item": {"pk": v["review_item"]},
        "review:proposal-docx": {"pk": v["review_item"]},
        "review:item-action": {"pk": v["review_item"], "action": "progress"},
        "review:records": {"agency": v["agency"], "year": v["year"], "code": v["procedure"], "key": "received"},
    }
    return table.get(name)


def api_params(template: str, v: dict) -> dict | None:
    """OpenAPI path parameters filled from A's objects, by the path's resource; None when unknown."""
    resources = [
        ("/api/v1/catalog/decisions/", {"id": v["decision"], "pk": v["decision"]}),
        ("/api/v1/procedures/", {"code": v["procedure"], "number": v["version"]}),
        ("/api/v1/dossiers/", {"code": v["dossier"], "action": "forward"}),
        ("/api/v1/desk/dossiers/", {"code": v["dossier"]}),
        ("/api/v1/cchc/recommendations/", {"id": v["recommendation"], "pk": v["recommendation"]}),
        ("/api/v1/cchc/tasks/", {"id": v["task"], "pk": v["task"]}),
        ("/api/v1/cchc/legal-drafts/", {"id": v["draft"], "pk": v["draft"]}),
        ("/api/v1/reports/cchc/", {"agency": v["agency"], "year": v["year"]}),
        ("/api/v1/reports/index766/", {"agency": v["agency"], "period": str(v["year"]), "indicator": "dossiers_on_time"}),
    ]
    names = re.findall(r"{(\w+)}", template)
    for prefix, params in resources:
        if template.startswith(prefix) and all(n in params for n in names):
            return {n: params[n] for n in names}
    return None if names else {}


# Patterns whose kwargs name no object: creates in the user's own agency (the ?agency=A variant must not write).
CREATES = {"reform:create"}

# Plausible bodies: enough to pass validation, so that only the tenancy policy can refuse.
BODIES = {
    "dossiers:action": {"note": "Chuyển bước"},
    "feedback:action": {"reason": "Không thuộc thẩm quyền"},
    "reform:draft-advance": {"stage": "issued", "on": "20/12/2021"},
    "reform:recommendation-detail": {"action": "start"},
    "reform:inspection-add": {"item": "Kiểm tra", "result": "Đạt"},
    "reform:create": {"year": 2022, "number": "1/KH", "title": "Kế hoạch CCHC"},
    "reform:task-detail": {"progress": 50},
    "documents:incoming_handle": {"note": "Đã xử lý"},
    "catalog:decision": {"action": "abolished", "code": "x"},
    "/api/v1/catalog/decisions/{id}/items/": {"action": "abolished", "code": "x"},
    "/api/v1/cchc/recommendations/{id}/evidence/": {"description": "Minh chứng"},
    "/api/v1/cchc/recommendations/{id}/close/": {"note": "Đã xong"},
    "/api/v1/cchc/legal-drafts/{id}/advance/": {"stage": "issued", "on": "2021-12-20", "issued_number": "01/QĐ"},
    "/api/v1/dossiers/{code}/actions/{action}/": {"note": "Chuyển bước"},
    "papers:reuse": {"paper": 1},
    "papers:store": {"file": 1},
}


def build_cases(world: World) -> tuple[list[Case], list[str]]:
    """Every case of the walk, and the patterns/operations whose kwargs could not be filled."""
    from drf_spectacular.generators import SchemaGenerator

    v, cases, unfilled = world.values, [], []
    for route, name, groups, _p in _walk(get_resolver().url_patterns):
        if route.startswith("api/"):
            continue  # the API is walked from its OpenAPI operations below
        if any(route.lstrip("^").startswith(prefix) for prefix in EXEMPT_PREFIXES) or name in EXEMPT_NAMES:
            continue
        if not groups:
            if name is None:
                unfilled.append(f"{route} (no name)")
                continue
            url = reverse(name)
            if url.startswith(("/staff/", "/mot-cua/", "/cchc/", "/bao-cao/")):
                cases.append(Case(f"{name} GET", "get", url, kind="list"))
                cases.append(Case(f"{name} POST", "post", url, kind="list"))
            continue
        kwargs = page_kwargs(name, v) if name else None
        if kwargs is None or set(kwargs) != set(groups):
            unfilled.append(f"{route} ({name})")
            continue
        url = reverse(name, kwargs=kwargs)
        kind = "list" if name in CREATES else "object"
        cases.append(Case(f"{name} GET", "get", url, kind=kind))
        cases.append(Case(f"{name} POST", "post", url, BODIES.get(name, {}), kind=kind))
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for template, operations in schema["paths"].items():
        params = api_params(template, v)
        if params is None:
            unfilled.append(f"API {template}")
            continue
        url = template
        for key, value in params.items():
            url = url.replace("{" + key + "}", str(value))
        for method in operations:
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if method == "get" and template in PUBLIC_API_READS:
                continue
            kind = "object" if params else "list"  # no object in the path: a list, or a create in B's own agency
            cases.append(Case(f"API {method.upper()} {template}", method, url, BODIES.get(template, {}), kind, api=True))
    with_agency = [
        Case(
            c.label + " ?agency=A",
            c.method,
            c.url + ("&" if "?" in c.url else "?") + f"agency={v['agency']}",
            c.body,
            c.kind,
            c.api,
        )
        for c in cases
    ]
    return cases + with_agency, unfilled


def _send(client: Client, case: Case):
    if case.api:
        return getattr(client, case.method)(case.url, case.body, content_type="application/json")
    return getattr(client, case.method)(case.url, case.body)


def run_cases(client: Client, users: dict, cases: list[Case], markers: list[str]) -> tuple[int, list[str]]:
    """Send every case as every user; return the number sent and the failures."""
    failures, n = [], 0
    for role, user in users.items():
        client.force_login(user)
        for case in cases:
            writes = case.method != "get"
            if writes:
                before, audit = db_fingerprint(), AuditLog.objects.count()
            response = _send(client, case)
            n += 1
            status = response.status_code
            where = f"{role}: {case.label} → {status}"
            if status >= 500 or status == 401 or (status == 302 and "/staff/login/" in response.get("Location", "")):
                failures.append(f"{where} (server error or signed out)")
                client.force_login(user)
                continue
            if case.kind == "object":
                if status not in REFUSED and status != 405:  # 405: the view takes no such method
                    failures.append(f"{where} (expected 403/404)")
            elif case.kind == "list" and status == 200 and not writes:
                body = b"".join(response) if getattr(response, "streaming", False) else response.content
                text = body.decode("utf-8", "replace")
                leaked = [m for m in markers if m and m in text]
                if leaked:
                    failures.append(f"{where} shows A's {leaked}")
            if writes and not (case.kind == "list" and "?agency=" not in case.url):  # else: B writing for itself
                changed = fingerprint_diff(before, db_fingerprint())
                if changed or AuditLog.objects.count() != audit:
                    failures.append(f"{where} changed {changed or 'the audit log'}")
    return n, failures


def test_every_url_and_api_operation_refuses_another_agencys_staff(client):
    world = build_world()
    cases, unfilled = build_cases(world)
    assert not unfilled, (
        "patterns whose kwargs the test cannot fill (add them to page_kwargs / api_params, "
        "or to EXEMPT_NAMES with a reason):\n" + "\n".join(unfilled)
    )
    # The control: A's own administrator opens every object read (so a 404 of B is the policy, not a bad kwarg).
    client.force_login(world.control)
    bad = [
        f"{c.label} → {s}"
        for c in cases
        if c.kind == "object" and c.method == "get" and "?agency" not in c.label
        for s in [_send(client, c).status_code]
        if s not in (200, 405)
    ]
    assert not bad, "A's own administrator cannot read:\n" + "\n".join(bad)

    n, failures = run_cases(client, world.staff_b, cases, world.markers)
    print(f"cross-agency: {n} cases ({len(cases)} requests × {len(world.staff_b)} roles of agency B), {len(failures)} failures")
    assert n > CASES_FLOOR
    assert not failures, "\n".join(failures)

    # By design the province supervisor and a superuser read A's objects; the supervisor acts on none of them.
    reads = [c for c in cases if c.kind == "object" and c.method == "get" and "?agency" not in c.label]
    for user in (world.supervisor, world.superuser):
        client.force_login(user)
        refused = [c.label for c in reads if _send(client, c).status_code not in (200, 405) and _readable_by(user, c)]
        assert not refused, f"{user.username} cannot read: {refused}"
    writes = [c for c in cases if c.kind == "object" and c.method != "get"]
    n2, failures = run_cases(client, {"province_supervisor": world.supervisor}, writes, world.markers)
    assert n2 == len(writes) and not failures, "\n".join(failures)


# The supervisor opens what its role is given (the reform and report pages, their API, the catalog's decisions);
# a superuser opens everything.
SUPERVISOR_API_READS = ("API GET /api/v1/cchc/", "API GET /api/v1/reports/", "API GET /api/v1/catalog/")


def _readable_by(user, case: Case) -> bool:
    from django.urls import resolve

    if user.is_superuser:
        return True
    if case.api:
        return case.label.startswith(SUPERVISOR_API_READS)
    roles = getattr(resolve(case.url.split("?")[0]).func, "required_roles", None)
    return roles is not None and Role.PROVINCE_SUPERVISOR in roles


# ----------------------------------------------------------------------------- a test of the test


def _leaky_view(request, pk: int):
    """Deliberately unscoped: any staff user reads any agency's inspection."""
    from motcua.reform.models import Inspection

    inspection = Inspection.objects.get(pk=pk)
    return JsonResponse({"agency": inspection.agency.short_name, "place": inspection.place})


leaky_urlpatterns = [
    path("", include("motcua.urls")),
    path("leak/kiem-tra/<int:pk>/", _leaky_view, name="leak"),
]


def test_the_checker_catches_an_unscoped_view(client):
    from motcua.core import demo as core_demo
    from motcua.reform import demo as reform_demo
    from motcua.reform.models import Inspection

    a = core_demo.seed()
    reform_demo.seed(agency=a)
    _b, _unit, staff_b = second_agency("B")
    inspection = Inspection.objects.filter(agency=a).first()
    import types

    leaky = types.ModuleType("leaky_urls")
    leaky.urlpatterns = leaky_urlpatterns
    with override_settings(ROOT_URLCONF=leaky):
        leak = Case("leak GET", "get", f"/leak/kiem-tra/{inspection.pk}/")
        scoped = Case("reform:inspection-detail GET", "get", f"/cchc/kiem-tra/{inspection.pk}/")
        n, failures = run_cases(client, {"leader": staff_b["leader"]}, [leak, scoped], [])
    assert n == 2
    assert failures == ["leader: leak GET → 200 (expected 403/404)"]
