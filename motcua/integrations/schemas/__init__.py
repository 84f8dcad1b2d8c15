"""JSON Schemas of the messages exchanged with external systems, shared by the builders (which test their
output against them) and the fake servers (which validate every message they receive)."""

import functools
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


@functools.cache
def schema(name: str) -> dict:
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def validator(name: str):
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(name: str, document) -> list[str]:
    """The schema's complaints about `document` (empty when valid), as "path: message" lines."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(gốc)'}: {error.message}"
        for error in sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    ]
