"""CCHC API: reads through selectors, writes through services; errors mapped by core.api (400/403/404/409)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from motcua.core.api import HasRole
from motcua.core.models import Agency
from motcua.core.parsers import FormParser, JSONParser, MultiPartParser
from motcua.core.roles import Role

from . import selectors, services
from .models import LegalDraft, Recommendation, ReformTask

READERS = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK)
WRITERS = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR)


def _agency(request) -> Agency | None:
    short = request.query_params.get("agency")
    if short:
        return get_object_or_404(Agency, short_name=short)
    return request.user.unit.agency if getattr(request.user, "unit_id", None) else None


class RecommendationSerializer(serializers.ModelSerializer):
    owner_unit = serializers.CharField(source="owner_unit.name", default=None)
    inspected_on = serializers.DateField(source="inspection.inspected_on")
    agency = serializers.CharField(source="inspection.agency.short_name")
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = ["id", "agency", "inspected_on", "area", "content", "addressee", "owner_unit", "deadline", "status",
                  "closed_on", "closing_note", "evidence"]

    def get_evidence(self, obj) -> list[dict]:
        return [{"description": e.description, "reference": e.reference, "file": e.file.url if e.file else None}
                for e in obj.evidence.all()]


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
        agency = _agency(self.request)
        view = self.request.query_params.get("view")
        if self.action != "list":
            return Recommendation.objects.select_related("inspection__agency", "owner_unit").prefetch_related("evidence")
        if view == "overdue":
            return selectors.recommendations_overdue(agency=agency, today=timezone.localdate()).prefetch_related("evidence")
        if view == "escalated":
            return selectors.recommendations_escalated(agency=agency).prefetch_related("evidence")
        return selectors.recommendations_for_agency(agency=agency).prefetch_related("evidence")

    @extend_schema(request=EvidenceInput, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        rec = self.get_object()
        data = EvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.recommendation_add_evidence(actor=request.user, recommendation=rec, **data.validated_data)
        return Response(RecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data, status=201)

    @extend_schema(request=None, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        rec = services.recommendation_start(actor=request.user, recommendation=self.get_object())
        return Response(RecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data)

    @extend_schema(request=CloseInput, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = CloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        rec = services.recommendation_close(actor=request.user, recommendation=self.get_object(), **data.validated_data)
        return Response(RecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data)


class TaskSerializer(serializers.ModelSerializer):
    owner_unit = serializers.CharField(source="owner_unit.name")
    plan = serializers.CharField(source="plan.number")

    class Meta:
        model = ReformTask
        fields = ["id", "plan", "area", "title", "owner_unit", "expected_output", "start_on", "working_days", "deadline",
                  "status", "progress", "completed_on"]


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """CCHC tasks; `reminders/` lists those due within 5 working days and those overdue."""

    queryset = ReformTask.objects.none()  # for the schema; get_queryset() gives the rows
    serializer_class = TaskSerializer

    def get_permissions(self):
        return [HasRole(*READERS)()]

    def get_queryset(self):
        agency = _agency(self.request)
        qs = ReformTask.objects.select_related("plan", "owner_unit")
        return qs.filter(plan__agency=agency) if agency else qs

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
        fields = ["id", "year", "title", "doc_type", "replaces_number", "replaces_date", "stage", "registered_on", "drafting_on",
                  "consultation_on", "submitted_on", "issued_on", "issued_number"]


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
        agency = _agency(self.request)
        return LegalDraft.objects.filter(agency=agency) if agency else LegalDraft.objects.all()

    @extend_schema(request=AdvanceInput, responses=LegalDraftSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        data = AdvanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.legal_draft_advance(actor=request.user, draft=self.get_object(), **data.validated_data)
        return Response(LegalDraftSerializer(draft).data)
