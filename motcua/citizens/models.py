"""A citizen who signed in with the identity provider, keyed by the 12-digit personal identification number.

Citizens are not staff users: they have no password here and no Django `User`; the session carries their
verified identity (`motcua.portal.identity`). This row records that the person signed in, when, and under
which subject of which provider (the provider's pairwise `sub` may differ per client)."""

from django.db import models
from django.db.models import Q


class Citizen(models.Model):
    personal_id = models.CharField("số định danh cá nhân", max_length=12, unique=True)
    full_name = models.CharField("họ và tên", max_length=255, blank=True)
    issuer = models.CharField("nhà cung cấp định danh (issuer)", max_length=255)
    subject = models.CharField("định danh tại nhà cung cấp (sub)", max_length=255)
    first_login_at = models.DateTimeField("đăng nhập lần đầu lúc")
    last_login_at = models.DateTimeField("đăng nhập gần nhất lúc")
    login_count = models.PositiveIntegerField("số lần đăng nhập", default=1)

    class Meta:
        verbose_name = "công dân đăng nhập"
        verbose_name_plural = "công dân đăng nhập"
        ordering = ["-last_login_at"]
        constraints = [
            models.CheckConstraint(condition=Q(personal_id__regex=r"^[0-9]{12}$"), name="citizen_personal_id_12_digits"),
            models.UniqueConstraint(fields=["issuer", "subject"], condition=~Q(subject=""), name="citizen_issuer_subject_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name or 'Công dân'} ({self.personal_id[:3]}******{self.personal_id[-3:]})"
