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


def _nul_paths(value, path: tuple = ()):
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nul_paths(key, path) if isinstance(key, str) and "\x00" in key else _nul_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, (*path, index))


def without_nul(document):
    """`document` with NUL characters removed from its strings (to keep a refused message: PostgreSQL stores no NUL)."""
    if isinstance(document, str):
        return document.replace("\x00", "")
    if isinstance(document, dict):
        return {without_nul(k): without_nul(v) for k, v in document.items()}
    if isinstance(document, list):
        return [without_nul(v) for v in document]
    return document


def errors(name: str, document) -> list[str]:
    """The schema's complaints about `document` (empty when valid), as "path: message" lines. A NUL character in
    any string is one too: PostgreSQL cannot store it, so an inbound message holding one is refused, not a 500."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(gốc)'}: {error.message}"
        for error in sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    ] + [f"{'/'.join(str(p) for p in path) or '(gốc)'}: ký tự NUL" for path in _nul_paths(document)]
