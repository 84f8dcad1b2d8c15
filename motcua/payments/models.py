"""Online payments of a dossier's financial obligation (docs/payments.md).

A `Payment` is one attempt to pay one requirement (the dossier's `require_payment` event, whose data holds
the amount) through one gateway: created pending when a payment link is made, then paid or failed when the
gateway's server-to-server notice (IPN) arrives. The invariants are database constraints: a positive amount,
a known status, a paid payment has its gateway transaction number and moment, one paid payment per
requirement, a gateway transaction number used once per provider."""

from django.db import models
from django.db.models import Q


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Chờ thanh toán"
        PAID = "paid", "Đã thanh toán"
        FAILED = "failed", "Không thành công"

    class Provider(models.TextChoices):
        VNPAY = "vnpay", "VNPay"
        PAYGOV = "paygov", "Cổng Dịch vụ công quốc gia"

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments")
    # The require_payment event this pays (its data carries amount_vnd): a later requirement is another one.
    requirement = models.ForeignKey("dossiers.DossierEvent", on_delete=models.PROTECT, related_name="+")
    provider = models.CharField(max_length=16, choices=Provider.choices)
    txn_ref = models.CharField(max_length=40, unique=True)
    amount_vnd = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    gateway_transaction_no = models.CharField(max_length=40, blank=True)
    gateway_response_code = models.CharField(max_length=8, blank=True)
    bank_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=["pending", "paid", "failed"]), name="payment_status_known"),
            models.CheckConstraint(condition=Q(provider__in=["vnpay", "paygov"]), name="payment_provider_known"),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_at__isnull=False) & ~Q(gateway_transaction_no="")),
                name="payment_paid_has_transaction",
            ),
            models.UniqueConstraint(fields=["requirement"], condition=Q(status="paid"), name="payment_one_paid_per_requirement"),
            models.UniqueConstraint(
                fields=["provider", "gateway_transaction_no"],
                condition=~Q(gateway_transaction_no=""),
                name="payment_gateway_transaction_once",
            ),
        ]
        indexes = [models.Index(fields=["dossier", "status"])]

    def __str__(self) -> str:
        return f"{self.txn_ref} ({self.amount_vnd} VND, {self.status})"


class Receipt(models.Model):
    """The numbered electronic receipt of a paid payment (biên lai điện tử): numbered per agency and year, the
    PDF kept in the row (written in the confirming transaction: a receipt exists if and only if it committed),
    signed with the agency's seal key when one is configured. `token`: the secret of its download link."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    token = models.CharField(max_length=43, unique=True)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    signed_by = models.CharField(max_length=255, blank=True)
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["agency", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="receipt_number_once_per_agency_year"),
            models.CheckConstraint(condition=Q(number__gt=0), name="receipt_number_positive"),
        ]

    @property
    def label(self) -> str:
        return f"{self.number:07d}/{self.year}"

    def __str__(self) -> str:
        return f"Biên lai {self.label}"
