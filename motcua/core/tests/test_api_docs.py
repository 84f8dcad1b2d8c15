import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_openapi_schema_generates_without_warnings_and_lists_the_main_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--fail-on-warn", "--validate")
    text = out.read_text()
    for path in ("/api/v1/procedures/", "/api/v1/dossiers/", "/api/v1/dossiers/{code}/actions/{action}/"):
        assert path + ":" in text


def test_swagger_ui_is_served_from_local_assets(client):
    body = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in body
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()
