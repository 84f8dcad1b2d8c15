import pytest
from django.contrib import admin
from django.urls import reverse

from motcua.core.models import User

pytestmark = pytest.mark.django_db


def test_every_admin_list_renders_and_service_owned_records_cannot_be_edited_there(client):
    client.force_login(User.objects.create_superuser("root", "root@example.vn", "pw-root-12345"))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    from motcua.core.models import AuditLog

    audit_admin = admin.site._registry[AuditLog]
    assert not audit_admin.has_change_permission(None) and not audit_admin.has_delete_permission(None)
