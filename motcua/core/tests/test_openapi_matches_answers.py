"""Answers the API gives are the ones its schema describes (found by schemathesis in CI): adding evidence to a
recommendation answers 201, PDF verification answers an object with the signatures and an overall verdict."""

from drf_spectacular.generators import SchemaGenerator


def _operation(schema, path, method):
    return schema["paths"][path][method]


def test_schema_documents_the_status_and_shape_the_views_answer(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    evidence = _operation(schema, "/api/v1/cchc/recommendations/{id}/evidence/", "post")
    assert "201" in evidence["responses"] and "200" not in evidence["responses"]
    verify = _operation(schema, "/api/v1/documents/verify/", "post")
    body = verify["responses"]["200"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][ref]["properties"]
    assert set(properties) == {"signatures", "all_intact_and_valid"}
