"""REST API of the one-stop desk (token or session auth, roles via HasRole).

POST /api/v1/dossiers/                          intake (Idempotency-Key header honoured)
GET  /api/v1/dossiers/?status=&overdue=true...  list
GET  /api/v1/dossiers/{code}/                   one dossier (one query)
POST /api/v1/dossiers/{code}/actions/{action}/  a transition of the state machine
"""

import json
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils import json as strict_json
from rest_framework.views import APIView

from motcua.core.api import HasRole
from motcua.core.authentication import CachedTokenAuthentication
from motcua.core.errors import ApplicationError, NotFoundError, PermissionDeniedError, ValidationFailed
from motcua.core.models import Unit, User
from motcua.core.roles import Role, user_has_role
from motcua.core.tenancy import reads_every_agency, scope_for
from motcua.core.validators import NOTE_MAX, api_text, date_check, text_check
from motcua.workcalendar.selectors import office_spans

from . import selectors, services
from .models import STATUS_CODES, Delivery, Dossier

STAFF_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)
SUPPLEMENT_ITEM_MAX = 500  # characters of one item of a request for supplement
SUPPLEMENT_ITEMS_MAX = 50


def _iso(value: datetime | None) -> str | None:
    # The agency's time zone (settings.TIME_ZONE; none is activated per request): naming it skips the
    # lookup of the active one, a sizeable share of the hot read's cost.
    return timezone.localtime(value, timezone.get_default_timezone()).isoformat() if value else None


def dossier_data(d: Dossier) -> dict:
    """The dossier as JSON (built by hand: this is the hot read path)."""
    version = d.procedure_version
    return {
        "code": d.code,
        "status": d.status,
        "status_code": d.status_code,
        "status_label": d.get_status_display(),
        "channel": d.channel,
        "channel_code": d.channel_code,
        "agency": d.agency.code,
        "procedure": {"code": version.procedure.code, "version": version.number, "name": version.name},
        "received_at": _iso(d.received_at),
        "accepted_at": _iso(d.accepted_at),
        "due_at": _iso(d.due_at),
        "original_due_at": _iso(d.original_due_at),
        "extended": d.extended,
        "finished_at": _iso(d.finished_at),
        "returned_at": _iso(d.returned_at),
        "timeliness": d.timeliness or None,
        "supplement_count": d.supplement_count,
        "counts_late_766": d.counts_late_766,
        "outcome": d.outcome or None,
        "result_delivery": d.result_delivery,
        "postal_tracking": d.postal_tracking,
        "applicant": {
            "kind": d.applicant_kind, "full_name": d.applicant_name, "id_number": d.applicant_id_number,
            "birth_date": d.applicant_birth_date.isoformat() if d.applicant_birth_date else None,
            "tax_code": d.applicant_tax_code, "representative": d.applicant_representative,
            "address": d.applicant_address, "phone": d.applicant_phone, "email": d.applicant_email,
            "authorised": {"full_name": d.authorised_name, "id_number": d.authorised_id_number} if d.authorised_name else None,
        },
    }


class AuthorisedSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=255)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)


class ApplicantSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["individual", "organisation"], default="individual")
    full_name = serializers.CharField(max_length=255)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    tax_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    representative = serializers.CharField(max_length=255, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    authorised = AuthorisedSerializer(required=False, allow_null=True)


class IntakeSerializer(serializers.Serializer):
    procedure = serializers.CharField(max_length=40)
    channel = serializers.ChoiceField(choices=["counter", "online", "postal"])
    applicant = ApplicantSerializer()
    components = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)
    result_delivery = serializers.ChoiceField(choices=Delivery.choices, default=Delivery.COUNTER)
    postal_tracking = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    return_address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", **api_text(NOTE_MAX))


# Validation only: `run_validation` keeps no state on the serializer, so one instance serves every
# request and its fields are built once (a new serializer deep-copies them on every intake).
INTAKE = IntakeSerializer()


class DossierOutSerializer(serializers.Serializer):
    """The dossier as returned by the API (documentation of `dossier_data`)."""

    code = serializers.CharField()
    status = serializers.CharField()
    status_code = serializers.IntegerField(help_text="Mã trạng thái quốc gia 1–10")
    status_label = serializers.CharField()
    channel = serializers.CharField()
    channel_code = serializers.IntegerField()
    agency = serializers.CharField()
    procedure = serializers.DictField()
    received_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    original_due_at = serializers.DateTimeField(allow_null=True)
    extended = serializers.BooleanField()
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    timeliness = serializers.CharField(allow_null=True)
    supplement_count = serializers.IntegerField()
    counts_late_766 = serializers.BooleanField()
    outcome = serializers.CharField(allow_null=True)
    result_delivery = serializers.CharField()
    postal_tracking = serializers.CharField()
    applicant = serializers.DictField()
    lookup_secret = serializers.CharField(required=False, help_text="Chỉ trả về một lần khi tạo mới")


class ActionInSerializer(serializers.Serializer):
    """Body of an action; which fields matter depends on the action."""

    reason = serializers.CharField(required=False, **api_text(NOTE_MAX))
    note = serializers.CharField(required=False, **api_text(NOTE_MAX))
    items = serializers.ListField(child=serializers.CharField(**api_text(SUPPLEMENT_ITEM_MAX)), required=False,
                                  max_length=SUPPLEMENT_ITEMS_MAX)
    amount_vnd = serializers.IntegerField(required=False)
    to_unit = serializers.CharField(required=False, help_text="id hoặc tên viết tắt của đơn vị")
    to_user = serializers.CharField(required=False, help_text="tên đăng nhập")
    seq = serializers.IntegerField(required=False)
    outcome = serializers.ChoiceField(choices=["approved", "rejected"], required=False)
    new_due_at = serializers.CharField(required=False, help_text="YYYY-MM-DD hoặc ISO 8601")
    delivery = serializers.ChoiceField(choices=Delivery.choices, required=False)
    postal_tracking = serializers.CharField(required=False)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _statuses(value: str) -> list[str] | None:
    """Status names or national codes (1–10), comma separated."""
    by_code = {str(code): name for name, code in STATUS_CODES.items()}
    wanted = [by_code.get(v.strip(), v.strip()) for v in value.split(",") if v.strip()]
    return wanted or None


def _bool(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    return value.lower() in ("1", "true", "yes")


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:  # well formed, no such day (2021-02-30)
        parsed = None
    if parsed is None:
        raise ValidationFailed(fields={field: ["Ngày phải có dạng YYYY-MM-DD."]})
    date_check(parsed, field=field)  # the one range of dates entered (core.validators)
    return parsed


class DossierListView(APIView):
    permission_classes = [HasRole(*STAFF_ROLES)]
    pagination_class = Pagination  # the schema documents the paginated object get() returns

    @extend_schema(operation_id="dossiers_list", responses=DossierOutSerializer(many=True), parameters=[
        OpenApiParameter("status", str, description="trạng thái hoặc mã 1–10, phân cách bằng dấu phẩy"),
        OpenApiParameter("overdue", bool), OpenApiParameter("channel", str), OpenApiParameter("procedure", str),
        OpenApiParameter("from", str, description="YYYY-MM-DD"), OpenApiParameter("to", str, description="YYYY-MM-DD"),
        OpenApiParameter("q", str)])
    def get(self, request):
        p = request.query_params
        qs = selectors.dossier_list(
            status=_statuses(p.get("status", "")), overdue=_bool(p.get("overdue")),
            channel=p.get("channel") or None, procedure=p.get("procedure") or None,
            start=_date(p.get("from"), "from"), end=_date(p.get("to"), "to"), q=p.get("q") or None,
        )
        qs = scope_for(request.user).readable(qs)  # core.tenancy
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([dossier_data(d) for d in page])

    def dispatch(self, request, *args, **kwargs):
        return _intake_by_token(request) or super().dispatch(request, *args, **kwargs)

    @extend_schema(operation_id="dossiers_create", request=IntakeSerializer, responses={201: DossierOutSerializer, 200: DossierOutSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)])
    def post(self, request):
        status, body, headers = _intake(request.user, request.data, request.headers.get("Idempotency-Key"))
        return Response(body, status=status, headers=headers)


def _intake(user, payload, key: str | None) -> tuple[int, dict, dict]:
    """Validate and receive one dossier: (status, body, headers) of the answer. Raises DRF's
    ValidationError or the service's errors, which the API's exception handler answers."""
    if not user_has_role(user, Role.ONE_STOP_OFFICER):
        raise PermissionDeniedError("Chỉ cán bộ một cửa được tiếp nhận hồ sơ.")
    data = INTAKE.run_validation(payload)
    applicant = dict(data["applicant"])
    if applicant.get("authorised"):
        applicant["authorised"] = dict(applicant["authorised"])
    key = (key or "").strip()
    if len(key) > 100:
        raise ValidationFailed(fields={"Idempotency-Key": ["Tối đa 100 ký tự."]})
    dossier = services.dossier_receive(
        actor=user, procedure_code=data["procedure"], channel=data["channel"], applicant=applicant,
        components=data.get("components"), result_delivery=data["result_delivery"],
        postal_tracking=data["postal_tracking"], return_address=data["return_address"], note=data["note"],
        idempotency_key=key, idempotency_fingerprint=services.request_fingerprint(data) if key else "",
    )
    body = dossier_data(dossier)
    if getattr(dossier, "replayed", False):
        return 200, body, {"Idempotent-Replayed": "true"}
    body["lookup_secret"] = dossier.lookup_secret
    return 201, body, {"Location": f"/api/v1/dossiers/{dossier.code}/"}


def _agency_scope(user) -> int | None:
    """The agency whose dossiers the user sees (core.tenancy; None: all — a user who reads every agency).
    An agency's administrator sees its own agency's only."""
    if reads_every_agency(user):
        return None
    if getattr(user, "unit_id", None):
        return user.unit.agency_id  # the scope's own agency, without its other queries (hot path)
    own_id = scope_for(user).own_id
    if own_id is None:
        raise NotFoundError("Không tìm thấy hồ sơ.")
    return own_id


def _get_for(user, code: str) -> Dossier:
    """The dossier with everything a page shows, if it belongs to the user's agency — or, for an
    inter-agency dossier (liên thông), if one of its steps belongs to an agency the user may read
    (core.tenancy): that agency's staff work on it from its step on. Anyone else: 404."""
    try:
        return selectors.dossier_get(code=code, agency_id=_agency_scope(user))
    except NotFoundError:
        dossier = selectors.dossier_get(code=code)
        if not selectors.dossier_has_step_of(dossier=dossier, scope=scope_for(user)):
            raise
        return dossier


# The two hot calls of API clients (read by code, intake) are answered without DRF's request cycle
# when they are plain: a JSON request with a valid staff token. Anything else (an error, the browsable
# API, a session user) returns None and takes DRF's way, which gives the usual answers. The bodies are
# byte for byte what DRF's JSONRenderer writes (tested).


def _token_user(request, method: str, *roles: str):
    parts = request.headers.get("Authorization", "").split()
    if (request.method != method or len(parts) != 2 or parts[0].lower() != "token"
            or "html" in request.headers.get("Accept", "")):
        return None
    try:
        user, _ = CachedTokenAuthentication().authenticate_credentials(parts[1])
    except exceptions.AuthenticationFailed:
        return None
    return user if user_has_role(user, *roles) else None


def _json_response(body: dict, *, status: int = 200, allow: str, headers: dict | None = None) -> HttpResponse:
    text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    response = HttpResponse(text.encode(), status=status, content_type="application/json", headers=headers)
    response["Vary"] = "Accept"
    response["Allow"] = allow
    return response


def _read_by_token(request, code: str) -> HttpResponse | None:
    user = _token_user(request, "GET", *STAFF_ROLES)
    if user is None:
        return None
    try:
        dossier = selectors.dossier_read(code=code, agency_id=_agency_scope(user))
    except NotFoundError:
        return None
    return _json_response(dossier_data(dossier), allow="GET, HEAD, OPTIONS")


def _intake_by_token(request) -> HttpResponse | None:
    """Intake by an API client. An error falls back to DRF's way, which validates again and answers it
    (the service writes nothing before its checks pass, so the second attempt meets the same state)."""
    if request.content_type != "application/json":
        return None
    user = _token_user(request, "POST", Role.ONE_STOP_OFFICER)
    if user is None:
        return None
    try:
        payload = strict_json.loads(request.body)  # NaN and Infinity refused, as DRF's parser does
        status, body, headers = _intake(user, payload, request.headers.get("Idempotency-Key"))
    except (ValueError, RecursionError, exceptions.ValidationError, ApplicationError):
        return None  # DRF's way answers it (its parser limits size and nesting: core.parsers)
    return _json_response(body, status=status, allow="GET, POST, HEAD, OPTIONS", headers=headers)


class DossierDetailView(APIView):
    permission_classes = [HasRole(*STAFF_ROLES)]

    def dispatch(self, request, *args, **kwargs):
        return _read_by_token(request, kwargs["code"]) or super().dispatch(request, *args, **kwargs)

    @extend_schema(operation_id="dossiers_get", responses=DossierOutSerializer)
    def get(self, request, code: str):
        try:
            dossier = selectors.dossier_read(code=code, agency_id=_agency_scope(request.user))
        except NotFoundError:
            dossier = _get_for(request.user, code)  # an inter-agency dossier with a step of the user's agency
        return Response(dossier_data(dossier))


def _text(data, key, default=""):
    value = data.get(key, default)
    return value if isinstance(value, str) else default


def _moment(value, field: str) -> datetime:
    """An ISO datetime, or a date meaning the close of office hours that day."""
    if isinstance(value, str):
        try:
            moment = parse_datetime(value)
            day = None if moment is not None else parse_date(value)
        except ValueError:  # well formed, no such day or hour
            moment = day = None
        if moment is not None:
            date_check(moment, field=field)
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        if day is not None:
            date_check(day, field=field)
            return timezone.make_aware(datetime.combine(day, office_spans()[-1][1]))
    raise ValidationFailed(fields={field: ["Cần ngày giờ dạng ISO 8601 (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)."]})


def action_arguments(action: str, data, agency_id: int | None) -> dict:
    """Parse the body of an action request into the service's keyword arguments; free text longer than
    its limit (notes and reasons NOTE_MAX, supplement items SUPPLEMENT_ITEM_MAX, at most
    SUPPLEMENT_ITEMS_MAX items) is a 400 with the field named."""
    args = _action_arguments(action, data, agency_id)
    for key in ("note", "reason"):
        if key in args:
            text_check(args[key], field=key, limit=NOTE_MAX)
    items = args.get("items") or []
    if len(items) > SUPPLEMENT_ITEMS_MAX:
        raise ValidationFailed(fields={"items": [f"Tối đa {SUPPLEMENT_ITEMS_MAX} mục cần bổ sung."]})
    for item in items:
        text_check(item if isinstance(item, str) else str(item), field="items", limit=SUPPLEMENT_ITEM_MAX)
    return args


def _action_arguments(action: str, data, agency_id: int | None) -> dict:
    A = services.Action  # noqa: N806
    if action in (A.REFUSE, A.WITHDRAW, A.STOP):
        return {"reason": _text(data, "reason")}
    if action == A.REQUEST_SUPPLEMENT:
        items = data.get("items") or []
        if isinstance(items, str):
            items = [line for line in items.splitlines() if line.strip()]
        return {"items": list(items), "note": _text(data, "note")}
    if action in (A.RECEIVE_SUPPLEMENT, A.CONFIRM_PAYMENT):
        return {"note": _text(data, "note")}
    if action == A.REQUIRE_PAYMENT:
        amount = data.get("amount_vnd")
        try:
            amount = int(amount) if amount not in (None, "") else None
        except (TypeError, ValueError):
            raise ValidationFailed(fields={"amount_vnd": ["Số tiền phải là số nguyên."]})
        return {"note": _text(data, "note"), "amount_vnd": amount}
    if action == A.FORWARD:
        args = {"note": _text(data, "note")}
        units = Unit.objects.filter(agency_id=agency_id) if agency_id else Unit.objects.all()
        if data.get("to_unit"):
            value = str(data["to_unit"])
            unit = units.filter(pk=int(value)).first() if value.isdigit() else units.filter(short_name=value).first()
            if unit is None:
                raise ValidationFailed(fields={"to_unit": ["Không tìm thấy đơn vị."]})
            args["to_unit"] = unit
        if data.get("to_user"):
            user = User.objects.select_related("unit").filter(username=str(data["to_user"]), is_active=True).first()
            if user is None:
                raise ValidationFailed(fields={"to_user": ["Không tìm thấy cán bộ."]})
            args["to_user"] = user
        return args
    if action == A.RETURN_TO_STEP:
        seq = data.get("seq")
        try:
            seq = int(seq) if seq not in (None, "") else None
        except (TypeError, ValueError):
            raise ValidationFailed(fields={"seq": ["Bước phải là số."]})
        return {"seq": seq, "note": _text(data, "note")}
    if action == A.DECIDE:
        return {"outcome": _text(data, "outcome"), "note": _text(data, "note")}
    if action == A.EXTEND:
        return {"new_due_at": _moment(data.get("new_due_at"), "new_due_at"), "reason": _text(data, "reason")}
    if action == A.RETURN_RESULT:
        return {"delivery": _text(data, "delivery") or None, "postal_tracking": _text(data, "postal_tracking")}
    return {}


class DossierActionView(APIView):
    permission_classes = [HasRole(*STAFF_ROLES)]

    @extend_schema(operation_id="dossiers_action", request=ActionInSerializer, responses=DossierOutSerializer)
    def post(self, request, code: str, action: str):
        if action not in services.Action.__members__.values():
            raise NotFoundError(f"Không có thao tác {action}.")
        dossier = _get_for(request.user, code)
        kwargs = action_arguments(action, request.data, dossier.agency_id)
        if action == services.Action.DECIDE and request.FILES.get("result_file"):
            kwargs["result_file"] = request.FILES["result_file"]
        if action == services.Action.RECEIVE_SUPPLEMENT and request.FILES:
            kwargs["files"] = [{"file": f} for f in request.FILES.getlist("files")]
        services.SERVICES[services.Action(action)](dossier=dossier, actor=request.user, **kwargs)
        return Response(dossier_data(selectors.dossier_get(code=code)))
