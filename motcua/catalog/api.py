"""Catalog API: public reads (no login) and staff writes, all through selectors and services."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.fields import SkipField
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from motcua.core.api import HasRole
from motcua.core.errors import PermissionDeniedError, ValidationFailed
from motcua.core.models import Agency
from motcua.core.replica import read_tolerant
from motcua.core.roles import Role
from motcua.core.tenancy import agency_for, scope_for
from motcua.core.validators import ascii_int

from . import public_cache, selectors, services
from .models import (
    DecisionItem,
    Field,
    GovernmentLevel,
    OnlineClass,
    ProcedureVersion,
    PublicationDecision,
    TimeUnit,
    time_cut_percent,
)

CHANNELS = (("counter", "channel_counter"), ("online", "channel_online"), ("postal", "channel_postal"))


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def list_item(row: Mapping) -> dict:
    """The API's representation of a procedure in a list: the one builder of it. The fast list builds it from
    the plain rows of selectors.procedure_search_page (no model instance, no serializer per row);
    ProcedureListSerializer and ProcedureDetailSerializer build it from a version through
    selectors.VersionRow. Keys in ProcedureListSerializer.Meta.fields' order (the schema describes them)."""
    legal, committed = row["legal_time"], row["committed_time"]
    return {
        "code": row["procedure__code"],
        "name": row["name"],
        "field": {"code": row["field__code"], "name": row["field__name"]},
        "legal_days": _number(legal),
        "committed_days": _number(committed),
        "time_unit": row["time_unit"],
        "cut_percent": _number(time_cut_percent(legal, committed)),
        "online_level": row["online_level"],
        "online_class": row["online_class"],
        "channels": [name for name, key in CHANNELS if row[key]],
        "four_on_spot": row["four_on_spot"],
        "one_stop": row["one_stop"],
        "version": row["number"],
        "valid_from": row["valid_from"].isoformat() if row["valid_from"] else None,
    }


def _api_page(value: str) -> int:
    """The page number PageNumberPagination accepts: a positive integer, or "last" (read as a page past any end)."""
    if value == "last":
        return 10**9
    try:
        number = int(value)
    except ValueError:
        raise NotFound(PageNumberPagination.invalid_page_message)
    if number < 1:
        raise NotFound(PageNumberPagination.invalid_page_message)
    return number


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class ProcedureListSerializer(serializers.ModelSerializer):
    """A procedure in a list. The fields describe the representation for the schema; list_item builds it
    (to_representation), the same function the fast list uses."""

    code = serializers.CharField(source="procedure.code")
    field = FieldSerializer()
    legal_days = serializers.DecimalField(
        source="legal_time",
        max_digits=7,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="Thời hạn theo quy định, theo đơn vị time_unit",
    )
    committed_days = serializers.DecimalField(
        source="committed_time",
        max_digits=7,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="Thời hạn cam kết của cơ quan, theo đơn vị time_unit",
    )
    cut_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
        help_text="Tỷ lệ cắt giảm thời hạn so với quy định, %, làm tròn xuống một chữ số thập phân",
    )
    channels = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Cách nộp: " + ", ".join(name for name, _ in CHANNELS)
    )
    version = serializers.IntegerField(source="number")

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "name",
            "field",
            "legal_days",
            "committed_days",
            "time_unit",
            "cut_percent",
            "online_level",
            "online_class",
            "channels",
            "four_on_spot",
            "one_stop",
            "version",
            "valid_from",
        ]

    def to_representation(self, instance: ProcedureVersion) -> dict:
        return list_item(selectors.VersionRow(instance))


class ComponentSerializer(serializers.Serializer):
    order = serializers.IntegerField(required=False)
    name = serializers.CharField()
    originals = serializers.IntegerField(default=1, min_value=0)
    copies = serializers.IntegerField(default=0, min_value=0)
    mandatory = serializers.BooleanField(default=True)
    form_name = serializers.CharField(required=False, allow_blank=True, default="")
    form_url = serializers.SerializerMethodField()

    def get_form_url(self, obj) -> str | None:
        file = getattr(obj, "form_file", None)
        return file.url if file else None


class FeeSerializer(serializers.Serializer):
    name = serializers.CharField()
    amount_vnd = serializers.IntegerField(min_value=0, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StepSerializer(serializers.Serializer):
    order = serializers.IntegerField(required=False)
    name = serializers.CharField()
    unit = serializers.CharField(source="unit.short_name", read_only=True, allow_null=True, default=None)
    unit_short_name = serializers.CharField(write_only=True, required=False, allow_blank=True)
    role = serializers.CharField(required=False, allow_blank=True, default="")
    duration = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)


class ProcedureDetailSerializer(ProcedureListSerializer):
    components = ComponentSerializer(many=True)
    fees = FeeSerializer(many=True)
    steps = StepSerializer(many=True)
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)
    history = serializers.SerializerMethodField()

    class Meta(ProcedureListSerializer.Meta):
        fields = ProcedureListSerializer.Meta.fields + [
            "status",
            "valid_to",
            "agency",
            "implementing_body",
            "government_level",
            "legal_basis",
            "target",
            "time_note",
            "channel_counter",
            "channel_online",
            "channel_postal",
            "result_by_post",
            "reception_cutoff",
            "result",
            "conditions",
            "steps_text",
            "illustrative",
            "source",
            "components",
            "fees",
            "steps",
            "history",
        ]

    def to_representation(self, instance: ProcedureVersion) -> dict:
        """The list item (list_item), then the detail's own fields as DRF gives them."""
        data = super().to_representation(instance)
        for field in self._readable_fields:
            if field.field_name in data:
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            data[field.field_name] = None if attribute is None else field.to_representation(attribute)
        return data

    def get_history(self, obj) -> list[dict]:
        return [
            {"version": v.number, "status": v.status, "valid_from": v.valid_from, "valid_to": v.valid_to}
            for v in selectors.procedure_history(code=obj.procedure.code)
        ]


class VersionWriteSerializer(serializers.Serializer):
    """Content of a version for the write endpoints (every field optional on update)."""

    name = serializers.CharField(max_length=2000)
    field = serializers.SlugRelatedField(slug_field="code", queryset=Field.objects.all())
    implementing_body = serializers.CharField(required=False, allow_blank=True)
    government_level = serializers.ChoiceField(GovernmentLevel.choices, required=False)
    legal_basis = serializers.ListField(child=serializers.CharField(), required=False)
    target = serializers.CharField(required=False, allow_blank=True)
    time_unit = serializers.ChoiceField(TimeUnit.choices, required=False)
    legal_time = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, allow_null=True)
    committed_time = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, allow_null=True)
    time_note = serializers.CharField(required=False, allow_blank=True)
    online_level = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4)
    online_class = serializers.ChoiceField(OnlineClass.choices, required=False)
    channel_counter = serializers.BooleanField(required=False)
    channel_online = serializers.BooleanField(required=False)
    channel_postal = serializers.BooleanField(required=False)
    result_by_post = serializers.BooleanField(required=False)
    four_on_spot = serializers.BooleanField(required=False)
    one_stop = serializers.BooleanField(required=False)
    reception_cutoff = serializers.TimeField(required=False, allow_null=True)
    result = serializers.CharField(required=False, allow_blank=True)
    conditions = serializers.CharField(required=False, allow_blank=True)
    steps_text = serializers.CharField(required=False, allow_blank=True)
    illustrative = serializers.ListField(child=serializers.CharField(), required=False)
    source = serializers.CharField(required=False, allow_blank=True)
    components = ComponentSerializer(many=True, required=False)
    fees = FeeSerializer(many=True, required=False)
    steps = StepSerializer(many=True, required=False)


class ProcedureCreateSerializer(VersionWriteSerializer):
    code = serializers.CharField(max_length=40)


def _acting_agency(request, refusal: str) -> Agency:
    """The agency the request acts for (core.tenancy); 403 with `refusal` for a user of no agency."""
    agency = agency_for(request, act=True)
    if agency is None:
        raise PermissionDeniedError(refusal)
    return agency


def _split(validated: dict, agency: Agency | None):
    data = dict(validated)
    children = {k: data.pop(k, None) for k in ("components", "fees", "steps")}
    if children["steps"] is not None:
        children["steps"] = [{**s, "unit": s.pop("unit_short_name", "") or None} for s in children["steps"]]
    if agency is not None and "agency" not in data:
        data["agency"] = agency
    return data, children


class ProcedureViewSet(viewsets.GenericViewSet):
    """Thủ tục hành chính: tra cứu công khai (không cần đăng nhập); quản trị hệ thống tạo và sửa."""

    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    queryset = ProcedureVersion.objects.none()  # for the schema; reads go through selectors

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [HasRole(Role.ADMINISTRATOR)()]

    def get_serializer_class(self):
        return {"list": ProcedureListSerializer, "retrieve": ProcedureDetailSerializer, "create": ProcedureCreateSerializer}.get(
            self.action, VersionWriteSerializer
        )

    def _on(self) -> date | None:
        value = self.request.query_params.get("on")
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed(fields={"on": ["Ngày phải có dạng YYYY-MM-DD."]})

    def _online_level(self) -> int | None:
        value = self.request.query_params.get("online_level")
        if not value:
            return None
        level = ascii_int(value, max_digits=1)
        if level is None or not 1 <= level <= 4:
            raise ValidationFailed(fields={"online_level": [_("Mức độ trực tuyến phải là số từ 1 đến 4.")]})
        return level

    @extend_schema(
        parameters=[
            OpenApiParameter("search", OpenApiTypes.STR, description="Tên hoặc mã; không phân biệt dấu, hoa thường"),
            OpenApiParameter("field", OpenApiTypes.STR, description="Mã lĩnh vực"),
            OpenApiParameter("online_level", OpenApiTypes.INT, description="Mức độ DVC trực tuyến 1–4"),
            OpenApiParameter("channel", OpenApiTypes.STR, enum=["counter", "online", "postal"]),
            OpenApiParameter("on", OpenApiTypes.DATE, description="Danh mục tại ngày (mặc định: hôm nay)"),
        ]
    )
    def list(self, request):
        # Anonymous answers are reused for a minute (public_cache); the format is still negotiated per request.
        key = public_cache.anonymous_key(request, "api", user=request.user)
        return Response(public_cache.cached_data(key, lambda: read_tolerant(lambda: self._list_data(request))))

    def _list_data(self, request) -> dict:
        """What PageNumberPagination with ProcedureListSerializer gives, from plain rows (list_item) and one query
        for the page and its count (selectors.procedure_search_page)."""
        params = request.query_params
        number = params.get("page") or "1"
        page = selectors.procedure_search_page(
            query=params.get("search", ""),
            field=params.get("field") or None,
            online_level=self._online_level(),
            channel=params.get("channel") or None,
            on=self._on(),
            page=_api_page(number),
            page_size=api_settings.PAGE_SIZE,
            exact_count=True,
        )
        if number != "last" and page.number != int(number):
            raise NotFound(PageNumberPagination.invalid_page_message)  # past the last page, as PageNumberPagination
        url = request.build_absolute_uri()
        previous = None
        if page.has_previous:
            previous = (
                remove_query_param(url, "page")
                if page.number == 2
                else replace_query_param(url, "page", page.previous_page_number)
            )
        return {
            "count": page.count,
            "next": replace_query_param(url, "page", page.next_page_number) if page.has_next else None,
            "previous": previous,
            "results": [list_item(row) for row in page.rows],
        }

    @extend_schema(parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="Phiên bản hiệu lực tại ngày")])
    def retrieve(self, request, code=None):
        version = selectors.procedure_detail(code=code, on=self._on())
        return Response(ProcedureDetailSerializer(version, context={"request": request}).data)

    @extend_schema(request=ProcedureCreateSerializer, responses={201: ProcedureDetailSerializer})
    def create(self, request):
        """Tạo thủ tục mới với phiên bản 1 ở dạng dự thảo (một quyết định công bố đưa vào hiệu lực)."""
        serializer = ProcedureCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agency = _acting_agency(request, "Bạn không thuộc cơ quan nào để tạo thủ tục.")
        data, children = _split(serializer.validated_data, agency)
        code = data.pop("code")
        version = services.procedure_create(actor=request.user, code=code, data=data, **children)
        return Response(ProcedureDetailSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VersionWriteSerializer, responses={201: ProcedureDetailSerializer})
    @action(detail=True, methods=["post"])
    def versions(self, request, code=None):
        """Tạo phiên bản dự thảo mới (chép từ phiên bản mới nhất; chỉ cần gửi phần thay đổi)."""
        procedure = selectors.procedure_get_to_act(code=code, acted_by=request.user)
        serializer = VersionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data, children = _split(serializer.validated_data, None)
        version = services.procedure_version_create(actor=request.user, procedure=procedure, data=data, **children)
        return Response(ProcedureDetailSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VersionWriteSerializer, responses={200: ProcedureDetailSerializer})
    @action(detail=True, methods=["patch"], url_path=r"versions/(?P<number>\d+)")
    def version_update(self, request, code=None, number=None):
        """Sửa phiên bản dự thảo (hoặc đính chính phiên bản đang hiệu lực)."""
        selectors.procedure_get_to_act(code=code, acted_by=request.user)
        version = get_object_or_404(ProcedureVersion, procedure__code=code, number=number)
        serializer = VersionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data, children = _split(serializer.validated_data, None)
        version = services.procedure_version_update(actor=request.user, version=version, data=data, **children)
        return Response(ProcedureDetailSerializer(version).data)


class DecisionItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="procedure.code")
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None)
    replaces = serializers.CharField(source="replaces.code", allow_null=True, default=None)

    class Meta:
        model = DecisionItem
        fields = ["id", "action", "code", "version", "replaces"]


class DecisionSerializer(serializers.ModelSerializer):
    items = DecisionItemSerializer(many=True, read_only=True)

    class Meta:
        model = PublicationDecision
        fields = ["id", "number", "title", "signed_on", "signer", "effective_on", "applied_at", "items"]
        read_only_fields = ["applied_at"]


class DecisionItemWriteSerializer(serializers.Serializer):
    action = serializers.ChoiceField(DecisionItem.Action.choices)
    code = serializers.CharField()
    version = serializers.IntegerField(required=False, allow_null=True, help_text="Số phiên bản dự thảo được công bố")
    replaces = serializers.CharField(required=False, allow_blank=True)


class DecisionViewSet(viewsets.GenericViewSet):
    """Quyết định công bố: mọi cán bộ xem; lãnh đạo, quản trị tạo, thêm nội dung và áp dụng."""

    serializer_class = DecisionSerializer
    queryset = PublicationDecision.objects.prefetch_related("items__procedure", "items__version", "items__replaces")

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [HasRole(*Role.values)()]
        return [HasRole(Role.ADMINISTRATOR, Role.LEADER)()]

    def get_queryset(self):
        return scope_for(self.request.user).readable(super().get_queryset())

    def list(self, request):
        qs = self.get_queryset().order_by("-effective_on", "number")
        agency = agency_for(request, request.query_params.get("agency"))
        if agency is not None:
            qs = qs.filter(agency=agency)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(DecisionSerializer(self.get_object()).data)

    def create(self, request):
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agency = _acting_agency(request, "Bạn không thuộc cơ quan nào để tạo quyết định.")
        d = serializer.validated_data
        decision = services.decision_create(
            actor=request.user,
            agency=agency,
            number=d["number"],
            signed_on=d["signed_on"],
            effective_on=d["effective_on"],
            signer=d.get("signer", ""),
            title=d.get("title", ""),
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionItemWriteSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        decision = selectors.decision_get(pk=pk, fetched_by=request.user, act=True)
        serializer = DecisionItemWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        procedure = selectors.procedure_get(code=d["code"])
        version = get_object_or_404(ProcedureVersion, procedure=procedure, number=d["version"]) if d.get("version") else None
        replaces = selectors.procedure_get(code=d["replaces"]) if d.get("replaces") else None
        services.decision_item_add(
            actor=request.user, decision=decision, action=d["action"], procedure=procedure, version=version, replaces=replaces
        )
        return Response(DecisionSerializer(self.get_object()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Áp dụng quyết định (một lần; lần thứ hai trả về 409)."""
        decision = selectors.decision_get(pk=pk, fetched_by=request.user, act=True)
        decision = services.decision_apply(actor=request.user, decision=decision)
        return Response(DecisionSerializer(decision).data)
