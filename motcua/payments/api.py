"""The payments API.

POST /api/v1/dossiers/{code}/payment-link/  a one-stop officer gets the link the applicant pays with
GET  /api/v1/dossiers/{code}/payments/      the dossier's payments and their receipts (staff of its agency)
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import HasRole
from motcua.core.client import client_ip
from motcua.core.errors import NotFoundError
from motcua.core.roles import Role
from motcua.core.tenancy import ensure_can_act, scope_for
from motcua.dossiers.models import Dossier

from .selectors import payments_of_dossier
from .services import payment_start, receipt_url

STAFF_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)


class PaymentLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Đường dẫn thanh toán tại cổng thanh toán (đã ký)")
    txn_ref = serializers.CharField(help_text="Mã thanh toán (vnp_TxnRef)")
    amount_vnd = serializers.IntegerField(help_text="Số tiền, đồng")


def _dossier_for(user, code: str) -> Dossier:
    """The dossier if the user may read its agency's records (core.tenancy), else 404."""
    dossier = Dossier.objects.filter(code=code[:64]).only("pk", "agency_id", "code", "status").first()
    if dossier is None or not scope_for(user).can_read(dossier.agency_id):
        raise NotFoundError("Không tìm thấy hồ sơ.")
    return dossier


class ReceiptOutSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Số biên lai, số/năm")
    url = serializers.URLField(help_text="Đường dẫn tải biên lai (PDF)")
    signed_by = serializers.CharField(help_text="Chữ ký số của cơ quan (rỗng: chưa ký)")


class PaymentOutSerializer(serializers.Serializer):
    txn_ref = serializers.CharField()
    provider = serializers.CharField()
    amount_vnd = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["pending", "paid", "failed"])
    gateway_transaction_no = serializers.CharField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    receipt = ReceiptOutSerializer(allow_null=True)


class PaymentListView(APIView):
    permission_classes = [HasRole(*STAFF_ROLES)]

    @extend_schema(
        operation_id="dossiers_payments",
        summary="Các khoản thanh toán trực tuyến và biên lai của hồ sơ",
        responses=PaymentOutSerializer(many=True),
    )
    def get(self, request, code: str):
        dossier = _dossier_for(request.user, code)
        rows = []
        for p in payments_of_dossier(dossier=dossier):
            receipt = getattr(p, "receipt", None)
            rows.append(
                {
                    "txn_ref": p.txn_ref,
                    "provider": p.provider,
                    "amount_vnd": p.amount_vnd,
                    "status": p.status,
                    "gateway_transaction_no": p.gateway_transaction_no,
                    "created_at": p.created_at,
                    "paid_at": p.paid_at,
                    "receipt": {"number": receipt.label, "url": receipt_url(receipt), "signed_by": receipt.signed_by}
                    if receipt
                    else None,
                }
            )
        return Response(PaymentOutSerializer(rows, many=True).data)


class PaymentLinkView(APIView):
    permission_classes = [HasRole(Role.ONE_STOP_OFFICER)]

    @extend_schema(
        operation_id="dossiers_payment_link",
        summary="Đường dẫn thanh toán trực tuyến của hồ sơ chờ thực hiện nghĩa vụ tài chính",
        request=None,
        description="409 (`not_awaiting_payment`, `no_amount`, `payment_not_configured`): hồ sơ không chờ nộp phí, "
        "chưa có số tiền, hoặc chưa cấu hình thanh toán trực tuyến. 503 (`gateway_unavailable`): cổng thanh toán "
        "không mở được giao dịch (không lưu khoản thanh toán nào).",
        responses=PaymentLinkSerializer,
    )
    def post(self, request, code: str):
        dossier = _dossier_for(request.user, code)
        ensure_can_act(request.user, dossier.agency_id)
        ip = client_ip(request)
        payment, url = payment_start(dossier=dossier, actor=request.user, client_ip="" if ip == "unknown" else ip)
        return Response({"url": url, "txn_ref": payment.txn_ref, "amount_vnd": payment.amount_vnd})
