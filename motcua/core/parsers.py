"""The API's JSON parser: DRF's, with a size and a nesting limit.

Python's json module answers deep nesting (e.g. 100,000 brackets) with RecursionError, which DRF's parser
does not catch (a server error); no request of this API nests more than a few levels, so anything deeper
than MAX_DEPTH (code `too_deep`), larger than MAX_BYTES (`too_large`) or holding NUL (`invalid_characters`) is
refused with 400 before a view sees it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings
from rest_framework.utils import json

MAX_BYTES = 2 * 1024 * 1024  # an intake with every component's metadata is a few kilobytes
MAX_DEPTH = 32


def depth_exceeds(value, limit: int = MAX_DEPTH) -> bool:
    """Whether `value` (parsed JSON) nests lists/objects deeper than `limit`; iterative, no recursion."""
    return _problem(value, limit) == "depth"


def _problem(value, limit: int = MAX_DEPTH) -> str | None:
    """ "depth" when `value` nests deeper than `limit`, "nul" when a string or key holds NUL (PostgreSQL
    refuses it in text: a lookup by such a value was a server error), else None. Iterative."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "nul"
            continue
        if isinstance(item, dict):
            if any("\x00" in key for key in item):
                return "nul"
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return "depth"
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list, str)))
    return None


def _too_deep() -> ParseError:
    return ParseError(_("Nội dung JSON lồng nhau quá %(limit)d cấp.") % {"limit": MAX_DEPTH}, code="too_deep")


def loads_limited(raw: bytes | str, *, encoding: str = "utf-8"):
    """Parse JSON as the API accepts it; ParseError (400) for bad, too large or too deeply nested input."""
    if len(raw) > MAX_BYTES:
        raise ParseError(_("Nội dung JSON vượt quá %(limit)d MiB.") % {"limit": MAX_BYTES // (1024 * 1024)}, code="too_large")
    try:
        text = raw.decode(encoding) if isinstance(raw, bytes) else raw
        parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
        data = json.loads(text, parse_constant=parse_constant)
    except RecursionError:
        raise _too_deep()
    except (ValueError, LookupError) as exc:  # UnicodeDecodeError is a ValueError
        raise ParseError(_("Nội dung JSON không hợp lệ: %(error)s") % {"error": exc})  # code parse_error (core.api words it)
    problem = _problem(data)
    if problem == "depth":
        raise _too_deep()
    if problem == "nul":
        raise ParseError(_("Nội dung JSON chứa ký tự không hợp lệ (NUL)."), code="invalid_characters")
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        raw = stream.read(MAX_BYTES + 1) if stream is not None else b""
        return loads_limited(raw, encoding=encoding)


def _refuse_nul_in_form(data) -> None:
    if any("\x00" in key or any(isinstance(v, str) and "\x00" in v for v in data.getlist(key)) for key in data):
        raise ParseError(_("Nội dung gửi lên chứa ký tự không hợp lệ (NUL)."), code="invalid_characters")


class FormParser(parsers.FormParser):
    """DRF's, refusing NUL in a field (PUT/PATCH; a POST form is checked by core.request_guard)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul_in_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _refuse_nul_in_form(result.data)
        return result
