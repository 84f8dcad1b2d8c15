"""POST /api/v1/dossiers/{code}/payment-link/: a one-stop officer gets the link the applicant pays with."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import HasRole
from motcua.core.client import client_ip
from motcua.core.errors import NotFoundError
from motcua.core.roles import Role
from motcua.core.tenancy import ensure_can_act, scope_for
from motcua.dossiers.models import Dossier

from .services import payment_start


class PaymentLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Đường dẫn thanh toán tại cổng thanh toán (đã ký)")
    txn_ref = serializers.CharField(help_text="Mã thanh toán (vnp_TxnRef)")
    amount_vnd = serializers.IntegerField(help_text="Số tiền, đồng")


class PaymentLinkView(APIView):
    permission_classes = [HasRole(Role.ONE_STOP_OFFICER)]

    @extend_schema(
        operation_id="dossiers_payment_link",
        summary="Đường dẫn thanh toán trực tuyến của hồ sơ chờ thực hiện nghĩa vụ tài chính",
        request=None,
        responses={
            200: PaymentLinkSerializer,
            409: OpenApiResponse(description="Hồ sơ không chờ nộp phí, chưa có số tiền, hoặc chưa cấu hình thanh toán."),
        },
    )
    def post(self, request, code: str):
        dossier = Dossier.objects.filter(code=code[:64]).only("pk", "agency_id", "code", "status").first()
        if dossier is None or not scope_for(request.user).can_read(dossier.agency_id):
            raise NotFoundError("Không tìm thấy hồ sơ.")
        ensure_can_act(request.user, dossier.agency_id)
        ip = client_ip(request)
        payment, url = payment_start(dossier=dossier, actor=request.user, client_ip="" if ip == "unknown" else ip)
        return Response({"url": url, "txn_ref": payment.txn_ref, "amount_vnd": payment.amount_vnd})
