"""The OpenAPI schema documents the error answers of every operation with one shared `Error` body, and the
dossier list as the paginated object it returns."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_documents_the_error_answers(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "detail"]
    ref = {"$ref": "#/components/schemas/Error"}
    operations = list(_operations(schema))
    assert len(operations) > 20
    for path, method, operation in operations:
        expected = {"400", "401", "403", "404", "405", "429", "503"}
        if method in ("post", "put", "patch", "delete"):
            expected |= {"409", "422"}
        for status in expected:
            assert operation["responses"][status]["content"]["application/json"]["schema"] == ref, (path, method, status)
        assert "500" not in operation["responses"]


def test_the_dossier_list_is_documented_as_a_page(schema):
    body = schema["paths"]["/api/v1/dossiers/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["type"] == "array"


def test_the_error_answers_have_the_documented_body(client):
    for response in (
        client.get("/api/v1/dossiers/"),
        client.get("/api/v1/procedures/khong-co/"),
        client.delete("/api/v1/procedures/"),
        client.get("/api/v1/dossiers/?q=%00"),
    ):
        data = response.json()
        assert response.status_code >= 400
        assert isinstance(data["code"], str) and isinstance(data["detail"], str), data


def test_django_refusals_under_the_api_answer_json(client):
    response = client.get("/api/v1/procedures/", HTTP_HOST="evil.example")  # DisallowedHost → handler400
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    page = client.get("/thu-tuc/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
