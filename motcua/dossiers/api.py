"""REST API of the one-stop desk (token or session auth, roles via HasRole).

POST /api/v1/dossiers/                          intake (Idempotency-Key header honoured)
GET  /api/v1/dossiers/?status=&overdue=true...  list
GET  /api/v1/dossiers/{code}/                   one dossier (one query)
POST /api/v1/dossiers/{code}/actions/{action}/  a transition of the state machine

Every request goes through DRF's request cycle with the view's own authentication, permission and
throttle classes. The representation has one builder (`dossier_data`, used by `DossierOutSerializer`), the
bodies one parser each (`IntakeSerializer`, `ActionInSerializer`).
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import APIView

from motcua.core.api import HasRole
from motcua.core.errors import NotFoundError, ValidationFailed
from motcua.core.models import Unit, User
from motcua.core.roles import Role, user_has_role
from motcua.core.tenancy import reads_every_agency, scope_for
from motcua.core.validators import NOTE_MAX, api_text, ascii_int, date_check
from motcua.workcalendar.selectors import office_spans

from . import selectors
from .intake import dossier_receive, request_fingerprint
from .machine import Action
from .models import STATUS_CODES, Delivery, Dossier, Outcome
from .transitions import SERVICES

STAFF_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)
SUPPLEMENT_ITEM_MAX = 500  # characters of one item of a request for supplement
SUPPLEMENT_ITEMS_MAX = 50


def _iso(value: datetime | None) -> str | None:
    # The agency's time zone (settings.TIME_ZONE; none is activated per request): naming it skips the
    # lookup of the active one, a sizeable share of the hot read's cost. Stored moments are aware.
    return value.astimezone(timezone.get_default_timezone()).isoformat() if value else None


# Status labels as get_status_display() gives them, without the dict it builds from the choices on every call.
_STATUS_LABELS = dict(Dossier._meta.get_field("status").flatchoices)


def dossier_data(d: Dossier) -> dict:
    """The dossier as the API returns it: the one builder of the representation, which
    `DossierOutSerializer` uses (its fields document it; a test holds the two to the same keys). Written as
    a dict rather than with DRF fields: this is the hot read path, and a field per key cost a fifth of it."""
    version = d.procedure_version
    return {
        "code": d.code,
        "status": d.status,
        "status_code": d.status_code,
        "status_label": str(_STATUS_LABELS.get(d.status, d.status)),
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
            "kind": d.applicant_kind,
            "full_name": d.applicant_name,
            "id_number": d.applicant_id_number,
            "birth_date": d.applicant_birth_date.isoformat() if d.applicant_birth_date else None,
            "tax_code": d.applicant_tax_code,
            "representative": d.applicant_representative,
            "address": d.applicant_address,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
            "authorised": {"full_name": d.authorised_name, "id_number": d.authorised_id_number} if d.authorised_name else None,
        },
    }


# ---------------------------------------------------------------------------------------------
# Input: the serializers are the one parser of each body (the API's and the staff pages' actions alike).


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


# `run_validation` keeps no state on the serializer, so one instance parses every intake and its fields are
# built once (a new serializer deep-copies them on every request).
INTAKE = IntakeSerializer()

MOMENT_MESSAGE = "Cần ngày giờ dạng ISO 8601 (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)."


@extend_schema_field(OpenApiTypes.STR)
class MomentField(serializers.Field):
    """An ISO datetime, or a date meaning the close of office hours that day; within the one range of
    dates entered (core.validators)."""

    default_error_messages = {"invalid": MOMENT_MESSAGE, "required": MOMENT_MESSAGE, "null": MOMENT_MESSAGE}

    def to_internal_value(self, data) -> datetime:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            moment = parse_datetime(data)
            day = None if moment is not None else parse_date(data)
        except ValueError:  # well formed, no such day or hour
            moment = day = None
        if moment is None and day is None:
            self.fail("invalid")
        try:
            date_check(moment or day, field=self.field_name)
        except ValidationFailed as exc:
            raise serializers.ValidationError(exc.fields[self.field_name]) from None
        if moment is not None:
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        return timezone.make_aware(datetime.combine(day, office_spans()[-1][1]))

    def to_representation(self, value):
        return value.isoformat()


class LinesField(serializers.ListField):
    """A list of texts; one text (a form's textarea, or a JSON string) is split into its non-empty lines."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            return [line for text in dictionary.getlist(self.field_name) for line in text.splitlines() if line.strip()]
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [line for line in data.splitlines() if line.strip()]
        return super().to_internal_value(data)


def _text(limit: int, **kwargs) -> serializers.CharField:
    """Free text of an action: optional, empty by default, kept as typed (not trimmed)."""
    return serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False, **api_text(limit), **kwargs)


class ActionInSerializer(serializers.Serializer):
    """Body of an action, the one parser of the API's actions and of the staff pages' forms: each action
    keeps the fields of `ACTION_FIELDS` (the others are ignored), and `validated_data` is the service's
    keyword arguments."""

    reason = _text(NOTE_MAX)
    note = _text(NOTE_MAX)
    items = LinesField(
        child=serializers.CharField(trim_whitespace=False, **api_text(SUPPLEMENT_ITEM_MAX)),
        required=False,
        default=list,
        max_length=SUPPLEMENT_ITEMS_MAX,
        error_messages={"max_length": f"Tối đa {SUPPLEMENT_ITEMS_MAX} mục cần bổ sung."},
    )
    amount_vnd = serializers.IntegerField(
        required=False, allow_null=True, default=None, error_messages={"invalid": "Số tiền phải là số nguyên."}
    )
    to_unit = serializers.CharField(required=False, allow_blank=True, help_text="id hoặc tên viết tắt của đơn vị")
    to_user = serializers.CharField(required=False, allow_blank=True, help_text="tên đăng nhập")
    seq = serializers.IntegerField(required=False, allow_null=True, default=None, error_messages={"invalid": "Bước phải là số."})
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True, default="")
    new_due_at = MomentField(help_text="YYYY-MM-DD (cuối giờ làm việc ngày đó) hoặc ISO 8601")
    delivery = serializers.ChoiceField(choices=Delivery.choices, required=False, allow_null=True, allow_blank=True, default=None)
    postal_tracking = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)

    def __init__(self, *args, action: str | None = None, agency_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id
        if action is not None:  # None: every field (the schema documents them all)
            for name in set(self.fields) - set(ACTION_FIELDS.get(action, ())):
                del self.fields[name]

    def validate_to_unit(self, value: str) -> Unit | None:
        if not value:
            return None
        units = Unit.objects.filter(agency_id=self.agency_id) if self.agency_id else Unit.objects.all()
        pk = ascii_int(value)
        unit = (units.filter(pk=pk) if pk is not None else units.filter(short_name=value)).first()
        if unit is None:
            raise serializers.ValidationError("Không tìm thấy đơn vị.")
        return unit

    def validate_to_user(self, value: str) -> User | None:
        if not value:
            return None
        user = User.objects.select_related("unit").filter(username=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError("Không tìm thấy cán bộ.")
        return user


# The fields each action takes: the keyword arguments of its service.
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    Action.REFUSE: ("reason",),
    Action.WITHDRAW: ("reason",),
    Action.STOP: ("reason",),
    Action.REQUEST_SUPPLEMENT: ("items", "note"),
    Action.RECEIVE_SUPPLEMENT: ("note",),
    Action.CONFIRM_PAYMENT: ("note",),
    Action.REQUIRE_PAYMENT: ("note", "amount_vnd"),
    Action.FORWARD: ("note", "to_unit", "to_user"),
    Action.RETURN_TO_STEP: ("seq", "note"),
    Action.DECIDE: ("outcome", "note"),
    Action.EXTEND: ("new_due_at", "reason"),
    Action.RETURN_RESULT: ("delivery", "postal_tracking"),
}


def action_arguments(action: str, data, agency_id: int | None) -> dict:
    """Parse the body of an action request (JSON or a form's QueryDict) into the service's keyword
    arguments with ActionInSerializer; invalid input raises ValidationFailed naming the fields (400 in the
    API, messages beside the form on the staff pages). Free text longer than its limit (notes and reasons
    NOTE_MAX, supplement items SUPPLEMENT_ITEM_MAX, at most SUPPLEMENT_ITEMS_MAX items) is such an error."""
    serializer = ActionInSerializer(data=data, action=action, agency_id=agency_id)
    if not serializer.is_valid():
        raise ValidationFailed(fields=_messages(serializer.errors))
    args = dict(serializer.validated_data)
    for name in ("to_unit", "to_user"):  # not named: the service's own choice
        if name in args and args[name] is None:
            del args[name]
    if "delivery" in args:
        args["delivery"] = args["delivery"] or None  # empty: the delivery chosen at intake
    return args


def _messages(errors) -> dict:
    """DRF's error detail as plain texts (lists of items: the first error of each item)."""
    out = {}
    for name, value in errors.items():
        if isinstance(value, dict):  # a list field's errors by index
            value = [str(e) for item in value.values() for e in item]
        out[name] = [str(e) for e in value]
    return out


# ---------------------------------------------------------------------------------------------
# Output


class DossierProcedureSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()


class DossierAuthorisedSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    id_number = serializers.CharField()


class DossierApplicantSerializer(serializers.Serializer):
    kind = serializers.CharField()
    full_name = serializers.CharField()
    id_number = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    tax_code = serializers.CharField()
    representative = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    authorised = DossierAuthorisedSerializer(allow_null=True)


class DossierOutSerializer(serializers.Serializer):
    """The dossier as returned by the API: represented by `dossier_data` (the fields document it)."""

    code = serializers.CharField()
    status = serializers.CharField()
    status_code = serializers.IntegerField(help_text="Mã trạng thái quốc gia 1–10")
    status_label = serializers.CharField()
    channel = serializers.CharField()
    channel_code = serializers.IntegerField()
    agency = serializers.CharField()
    procedure = DossierProcedureSerializer()
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
    applicant = DossierApplicantSerializer()
    lookup_secret = serializers.CharField(required=False, help_text="Chỉ trả về một lần khi tạo mới")

    def to_representation(self, instance: Dossier) -> dict:
        return dossier_data(instance)


DOSSIER_OUT = DossierOutSerializer()  # to_representation keeps no state: one instance serves every answer


class RememberedNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, its choice remembered per view, renderers, format and Accept header: the
    same inputs give the same renderer, and choosing it again cost a tenth of the API read."""

    MAX_ENTRIES = 512  # a bound, not a tuning knob (the Accept header is the client's): cleared when reached
    _choices: dict[tuple, tuple[int, str]] = {}

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        key = (tuple(type(r) for r in renderers), wanted, request.META.get("HTTP_ACCEPT", ""))
        found = self._choices.get(key)
        if found is None:
            renderer, media_type = super().select_renderer(request, renderers, format_suffix)
            if len(self._choices) >= self.MAX_ENTRIES:
                self._choices.clear()
            found = self._choices[key] = (renderers.index(renderer), media_type)
        return renderers[found[0]], found[1]


class DossierAPIView(APIView):
    """The dossier API's views: DRF's APIView (its request cycle with the view's authentication, permission and
    throttle classes), with the content negotiation remembered and the answer headers built once per class."""

    content_negotiation_class = RememberedNegotiation

    @property
    def default_response_headers(self) -> dict:
        cls = type(self)
        headers = cls.__dict__.get("_response_headers")
        if headers is None:  # Allow and Vary depend on the class only (its methods and renderers)
            headers = super().default_response_headers
            cls._response_headers = headers
        return dict(headers)


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


class ReceivesDossiers(permissions.BasePermission):
    """Writes to the dossier list (intake) are the one-stop officers' (administrators pass)."""

    message = "Chỉ cán bộ một cửa được tiếp nhận hồ sơ."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or user_has_role(request.user, Role.ONE_STOP_OFFICER)


class DossierListView(DossierAPIView):
    permission_classes = [HasRole(*STAFF_ROLES), ReceivesDossiers]
    pagination_class = Pagination  # the schema documents the paginated object get() returns

    @extend_schema(
        operation_id="dossiers_list",
        responses=DossierOutSerializer(many=True),
        parameters=[
            OpenApiParameter("status", str, description="trạng thái hoặc mã 1–10, phân cách bằng dấu phẩy"),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("channel", str),
            OpenApiParameter("procedure", str),
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
            OpenApiParameter("q", str),
        ],
    )
    def get(self, request):
        p = request.query_params
        qs = selectors.dossier_list(
            status=_statuses(p.get("status", "")),
            overdue=_bool(p.get("overdue")),
            channel=p.get("channel") or None,
            procedure=p.get("procedure") or None,
            start=_date(p.get("from"), "from"),
            end=_date(p.get("to"), "to"),
            q=p.get("q") or None,
        )
        qs = scope_for(request.user).readable(qs)  # core.tenancy
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DossierOutSerializer(page, many=True).data)

    @extend_schema(
        operation_id="dossiers_create",
        request=IntakeSerializer,
        responses={201: DossierOutSerializer, 200: DossierOutSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request):
        data = INTAKE.run_validation(request.data)
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if len(key) > 100:
            raise ValidationFailed(fields={"Idempotency-Key": ["Tối đa 100 ký tự."]})
        applicant = dict(data["applicant"])
        if applicant.get("authorised"):
            applicant["authorised"] = dict(applicant["authorised"])
        dossier = dossier_receive(
            actor=request.user,
            procedure_code=data["procedure"],
            channel=data["channel"],
            applicant=applicant,
            components=data.get("components"),
            result_delivery=data["result_delivery"],
            postal_tracking=data["postal_tracking"],
            return_address=data["return_address"],
            note=data["note"],
            idempotency_key=key,
            idempotency_fingerprint=request_fingerprint(data) if key else "",
        )
        body = DOSSIER_OUT.to_representation(dossier)
        if getattr(dossier, "replayed", False):
            return Response(body, headers={"Idempotent-Replayed": "true"})
        body["lookup_secret"] = dossier.lookup_secret
        return Response(body, status=201, headers={"Location": f"/api/v1/dossiers/{dossier.code}/"})


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


class DossierDetailView(DossierAPIView):
    permission_classes = [HasRole(*STAFF_ROLES)]

    @extend_schema(operation_id="dossiers_get", responses=DossierOutSerializer)
    def get(self, request, code: str):
        try:
            dossier = selectors.dossier_read(code=code, agency_id=_agency_scope(request.user))
        except NotFoundError:
            dossier = _get_for(request.user, code)  # an inter-agency dossier with a step of the user's agency
        return Response(DOSSIER_OUT.to_representation(dossier))


class DossierActionView(DossierAPIView):
    permission_classes = [HasRole(*STAFF_ROLES)]

    @extend_schema(operation_id="dossiers_action", request=ActionInSerializer, responses=DossierOutSerializer)
    def post(self, request, code: str, action: str):
        if action not in Action.__members__.values():
            raise NotFoundError(f"Không có thao tác {action}.")
        dossier = _get_for(request.user, code)
        kwargs = action_arguments(action, request.data, dossier.agency_id)
        if action == Action.DECIDE and request.FILES.get("result_file"):
            kwargs["result_file"] = request.FILES["result_file"]
        if action == Action.RECEIVE_SUPPLEMENT and request.FILES:
            kwargs["files"] = [{"file": f} for f in request.FILES.getlist("files")]
        SERVICES[Action(action)](dossier=dossier, actor=request.user, **kwargs)
        return Response(DOSSIER_OUT.to_representation(selectors.dossier_read(code=code)))  # the narrow read by code
