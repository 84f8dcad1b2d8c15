"""The plain-INSERT path (core.sql) writes only the models declared in PLAIN_INSERT_MODELS, and a system
check refuses a declared model it cannot store as save() would: a generated field, a database default,
an overridden save(), a pre_save/post_save receiver."""

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.functions import Lower, Now
from django.db.models.signals import post_save, pre_save
from django.test.utils import isolate_apps
from django.utils import timezone

from motcua.core import sql
from motcua.core.checks import plain_insert_models, plain_insert_problems
from motcua.core.models import Agency, AuditLog
from motcua.core.sql import PLAIN_INSERT_MODELS, insert


def _ids(errors) -> list[str]:
    return sorted(e.id for e in errors if e.level >= checks.ERROR)


def test_the_declared_models_pass_the_check():
    assert plain_insert_models() == []
    assert "core.AuditLog" in PLAIN_INSERT_MODELS  # its save() (AppendOnlyModel) only refuses updates: accepted
    assert plain_insert_problems([AuditLog]) == []


@isolate_apps("motcua.core")
def test_a_generated_field_is_refused():
    class Row(models.Model):
        name = models.CharField(max_length=20)
        lower = models.GeneratedField(expression=Lower("name"), output_field=models.CharField(max_length=20), db_persist=True)

    assert _ids(plain_insert_problems([Row])) == ["motcua.E001"]


@isolate_apps("motcua.core")
def test_a_database_default_is_refused():
    class Row(models.Model):
        at = models.DateTimeField(db_default=Now())

    assert _ids(plain_insert_problems([Row])) == ["motcua.E002"]


@isolate_apps("motcua.core")
def test_an_overridden_save_is_refused():
    class Row(models.Model):
        name = models.CharField(max_length=20)

        def save(self, *args, **kwargs):
            self.name = self.name.upper()
            super().save(*args, **kwargs)

    assert _ids(plain_insert_problems([Row])) == ["motcua.E003"]


@isolate_apps("motcua.core")
@pytest.mark.parametrize("signal", [pre_save, post_save], ids=["pre_save", "post_save"])
def test_a_save_signal_receiver_is_refused(signal):
    class Row(models.Model):
        name = models.CharField(max_length=20)

    assert plain_insert_problems([Row]) == []

    def receiver(sender, **kwargs):
        pass

    signal.connect(receiver, sender=Row)
    try:
        assert _ids(plain_insert_problems([Row])) == ["motcua.E004"]
    finally:
        signal.disconnect(receiver, sender=Row)


def test_a_declared_model_that_gains_a_receiver_fails_the_projects_checks():
    def receiver(sender, **kwargs):
        pass

    post_save.connect(receiver, sender=AuditLog)
    try:
        errors = [e for e in checks.run_checks() if e.id == "motcua.E004"]
        assert [e.obj for e in errors] == [AuditLog]
    finally:
        post_save.disconnect(receiver, sender=AuditLog)
    assert not [e for e in checks.run_checks() if e.id.startswith("motcua.E00")]


@pytest.mark.django_db
def test_a_model_not_declared_is_refused_by_the_plain_insert(monkeypatch):
    monkeypatch.setattr(sql, "_statements", {})
    with pytest.raises(ImproperlyConfigured, match="PLAIN_INSERT_MODELS"):
        insert(Agency(name="Sở Thử", short_name="ST", code="H15.77", created_at=timezone.now()))
    assert not Agency.objects.filter(code="H15.77").exists()
