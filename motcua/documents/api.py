"""API: document counts by period and PDF signature verification."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import HasRole
from motcua.core.errors import NotFoundError, ValidationFailed
from motcua.core.roles import Role
from motcua.core.tenancy import agency_for

from . import selectors, services, signing

STAFF = (Role.CLERK, Role.LEADER, Role.SPECIALIST, Role.INSPECTOR)


class CountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    incoming = serializers.IntegerField()
    outgoing = serializers.IntegerField()
    fully_electronic = serializers.IntegerField()
    digitally_signed = serializers.IntegerField()


class SignatureSerializer(serializers.Serializer):
    field_name = serializers.CharField()
    signer = serializers.CharField()
    signed_at = serializers.CharField(allow_null=True)
    intact = serializers.BooleanField()
    valid = serializers.BooleanField()
    trusted = serializers.BooleanField()
    coverage = serializers.CharField()
    timestamped = serializers.BooleanField()
    error = serializers.CharField(allow_blank=True)


class VerifyResultSerializer(serializers.Serializer):
    signatures = SignatureSerializer(many=True)
    all_intact_and_valid = serializers.BooleanField()


def _date(value: str | None, name: str) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise ValidationFailed(fields={name: ["Ngày không hợp lệ (YYYY-MM-DD)."]})


class DocumentCountsView(APIView):
    permission_classes = [HasRole(*STAFF)]

    @extend_schema(
        parameters=[OpenApiParameter("start", str, required=True), OpenApiParameter("end", str, required=True)],
        responses=CountsSerializer,
        summary="Số văn bản đi, đến; xử lý hoàn toàn điện tử; có chữ ký số",
    )
    def get(self, request):
        agency = agency_for(request)  # core.tenancy
        if agency is None:
            raise NotFoundError("Chưa có cơ quan.")
        counts = selectors.document_counts(
            agency=agency,
            start=_date(request.query_params.get("start"), "start"),
            end=_date(request.query_params.get("end"), "end"),
        )
        return Response(CountsSerializer(counts).data)


class VerifyPdfView(APIView):
    permission_classes = [HasRole(*STAFF)]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        responses=VerifyResultSerializer,
        summary="Kiểm tra chữ ký số của tệp PDF (danh sách tin cậy của hệ thống)",
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(fields={"file": ["Chọn tệp PDF."]})
        try:
            results = signing.verify_pdf_bytes(upload.read(), trust_roots=services.trust_roots())
        except ValueError as exc:
            raise ValidationFailed(fields={"file": [str(exc)]})
        return Response(
            VerifyResultSerializer(
                {"signatures": [r.as_dict() for r in results], "all_intact_and_valid": signing.all_intact_and_valid(results)}
            ).data
        )
