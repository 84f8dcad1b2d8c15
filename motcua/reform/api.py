"""CCHC API: reads through selectors, writes through services; errors mapped by core.api (400/403/404/409)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from motcua.core.api import HasRole
from motcua.core.models import Agency
from motcua.core.parsers import FormParser, JSONParser, MultiPartParser
from motcua.core.roles import Role
from motcua.core.tenancy import agency_for, ensure_can_act, scope_for

from . import selectors, services
from .models import LegalDraft, Recommendation, ReformTask

READERS = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR)
WRITERS = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR)


def _agency(request) -> Agency | None:
    """?agency= only within the user's scope (core.tenancy), else the user's own agency."""
    return agency_for(request, request.query_params.get("agency"))


def _scoped(request, qs, field: str):
    """Rows of `qs` the user may read; the list narrowed to the page's agency."""
    qs = scope_for(request.user).readable(qs, field)
    agency = _agency(request)
    return qs.filter(**{field: agency}) if agency is not None else qs


class RecommendationSerializer(serializers.ModelSerializer):
    owner_unit = serializers.CharField(source="owner_unit.name", default=None)
    inspected_on = serializers.DateField(source="inspection.inspected_on")
    agency = serializers.CharField(source="inspection.agency.short_name")
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "agency",
            "inspected_on",
            "area",
            "content",
            "addressee",
            "owner_unit",
            "deadline",
            "status",
            "closed_on",
            "closing_note",
            "evidence",
        ]

    def get_evidence(self, obj) -> list[dict]:
        return [
            {"description": e.description, "reference": e.reference, "file": e.file.url if e.file else None}
            for e in obj.evidence.all()
        ]


class EvidenceInput(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    reference = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class CloseInput(serializers.Serializer):
    note = serializers.CharField()
    on = serializers.DateField(required=False, allow_null=True, default=None)


class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Recommendations of CCHC inspections. `?view=overdue` (open, past the deadline), `?view=escalated`
    (reported to the province), default: the agency's own."""

    queryset = Recommendation.objects.none()  # for the schema; get_queryset() gives the rows
    serializer_class = RecommendationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_permissions(self):
        roles = WRITERS if self.action in ("evidence", "start", "close") else READERS
        return [HasRole(*roles)()]

    def get_queryset(self):
        view = self.request.query_params.get("view")
        if self.action != "list":
            qs = Recommendation.objects.select_related("inspection__agency", "owner_unit").prefetch_related("evidence")
            return scope_for(self.request.user).readable(qs, "inspection__agency")
        agency = _agency(self.request)
        if view == "overdue":
            qs = selectors.recommendations_overdue(agency=agency, today=timezone.localdate())
        elif view == "escalated":
            qs = selectors.recommendations_escalated(agency=agency)
        else:
            qs = selectors.recommendations_for_agency(agency=agency)
        return scope_for(self.request.user).readable(qs, "inspection__agency").prefetch_related("evidence")

    def _to_act(self):
        rec = self.get_object()
        if not selectors.can_inspect(self.request.user, rec.inspection.agency_id):
            ensure_can_act(self.request.user, rec.inspection.agency_id)
        return rec

    @extend_schema(request=EvidenceInput, responses={201: RecommendationSerializer})
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        rec = self._to_act()
        data = EvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.recommendation_add_evidence(actor=request.user, recommendation=rec, **data.validated_data)
        return Response(RecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data, status=201)

    @extend_schema(request=None, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        rec = services.recommendation_start(actor=request.user, recommendation=self._to_act())
        return Response(RecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data)

    @extend_schema(request=CloseInput, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        rec = self._to_act()
        data = CloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        rec = services.recommendation_close(actor=request.user, recommendation=rec, **data.validated_data)
        return Response(RecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data)


class TaskSerializer(serializers.ModelSerializer):
    owner_unit = serializers.CharField(source="owner_unit.name")
    plan = serializers.CharField(source="plan.number")

    class Meta:
        model = ReformTask
        fields = [
            "id",
            "plan",
            "area",
            "title",
            "owner_unit",
            "expected_output",
            "start_on",
            "working_days",
            "deadline",
            "status",
            "progress",
            "completed_on",
        ]


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """CCHC tasks; `reminders/` lists those due within 5 working days and those overdue."""

    queryset = ReformTask.objects.none()  # for the schema; get_queryset() gives the rows
    serializer_class = TaskSerializer

    def get_permissions(self):
        return [HasRole(*READERS)()]

    def get_queryset(self):
        return _scoped(self.request, ReformTask.objects.select_related("plan", "owner_unit"), "plan__agency")

    @extend_schema(responses={200: {"type": "object"}})
    @action(detail=False)
    def reminders(self, request):
        agency = _agency(request)
        if agency is None:
            return Response({"due_soon": [], "overdue": []})
        r = selectors.task_reminders(agency=agency, today=timezone.localdate())
        return Response({k: TaskSerializer(v, many=True).data for k, v in r.items()})


class LegalDraftSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalDraft
        fields = [
            "id",
            "year",
            "title",
            "doc_type",
            "replaces_number",
            "replaces_date",
            "stage",
            "registered_on",
            "drafting_on",
            "consultation_on",
            "submitted_on",
            "issued_on",
            "issued_number",
        ]


class AdvanceInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=LegalDraft.Stage.choices)
    on = serializers.DateField()
    issued_number = serializers.CharField(required=False, allow_blank=True, default="")


class LegalDraftViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = LegalDraft.objects.none()  # for the schema; get_queryset() gives the rows
    serializer_class = LegalDraftSerializer

    def get_permissions(self):
        return [HasRole(*(WRITERS if self.action == "advance" else READERS))()]

    def get_queryset(self):
        if self.action != "list":
            return scope_for(self.request.user).readable(LegalDraft.objects.all())
        return _scoped(self.request, LegalDraft.objects.all(), "agency")

    @extend_schema(request=AdvanceInput, responses=LegalDraftSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        draft = self.get_object()
        ensure_can_act(request.user, draft.agency_id)
        data = AdvanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.legal_draft_advance(actor=request.user, draft=draft, **data.validated_data)
        return Response(LegalDraftSerializer(draft).data)
