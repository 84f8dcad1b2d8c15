"""Open311 GeoReport v2 (JSON) over PAKN, so existing civic-tech clients can file and follow feedback.

Endpoints (see docs/feedback.md): GET services.json, GET/POST requests.json, GET requests/{id}.json.
Categories are the services; the PAKN code is the service_request_id; status is `open` while the agency
handles the item and `closed` once it is refused, answered or published.

CSRF: the POST is exempt because it is a public machine API called by third-party apps that hold no
session or CSRF cookie. It never reads request.user or the session, so a forged cross-site request could
do no more than any anonymous client can already do with a direct POST; submissions are rate-limited.

Deviations, on purpose: a location (lat/long or address_string) is optional because PAKN about a
procedure has no place; a description and a phone number or e-mail are required (to answer the sender);
in GET answers the description and answer of an item are shown only once it is published (personal data
may be in them — Decree 13/2023/NĐ-CP).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core import ratelimit
from motcua.core.client import client_ip
from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency
from motcua.core.selectors import agency_default
from motcua.core.transitions import Applicant

from . import services as feedback_services
from .models import CLOSED_STATUSES, Category, Channel, Feedback, Kind, Status

GROUP = "Phản ánh, kiến nghị"
SERVICES = {
    Category.PROCEDURE: (
        "Phản ánh, kiến nghị về thủ tục hành chính",
        "Thời gian, hồ sơ, cách tiếp nhận và trả kết quả của một thủ tục hành chính.",
        ["thủ tục", "hồ sơ", "TTHC", "một cửa"],
    ),
    Category.REGULATION: (
        "Phản ánh, kiến nghị về quy định hành chính",
        "Quy định hành chính chưa hợp lý, chồng chéo hoặc khó thực hiện.",
        ["quy định", "văn bản", "chính sách"],
    ),
    Category.ATTITUDE: (
        "Phản ánh về thái độ, hành vi phục vụ",
        "Thái độ, hành vi của cán bộ, công chức khi tiếp nhận và giải quyết hồ sơ.",
        ["cán bộ", "thái độ", "phục vụ"],
    ),
    Category.OTHER: ("Phản ánh, kiến nghị khác", "Nội dung khác liên quan đến hoạt động của cơ quan.", ["khác"]),
}
DEFAULT_WINDOW_DAYS = 90
MAX_RESULTS = 1000
POST_LIMIT = 30  # per client address per hour


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}, content_type="application/json; charset=utf-8"
    )


def _error(status: int, description: str) -> JsonResponse:
    """GeoReport v2 error format: a list of {code, description}."""
    return _json([{"code": status, "description": description}], status=status)


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _agency(request) -> tuple[Agency | None, JsonResponse | None]:
    """jurisdiction_id is optional; when given it must be an agency's electronic ID code."""
    jurisdiction = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if not jurisdiction:
        return agency_default(), None
    agency = Agency.objects.filter(code=jurisdiction).first()
    if agency is None:
        return None, _error(404, f"jurisdiction_id không tồn tại: {jurisdiction}")
    return agency, None


@require_GET
def services_list(request):
    _, error = _agency(request)
    if error:
        return error
    return _json(
        [
            {
                "service_code": code.value,
                "service_name": name,
                "description": description,
                "metadata": False,
                "type": "realtime",
                "keywords": ",".join(keywords),
                "group": GROUP,
            }
            for code, (name, description, keywords) in SERVICES.items()
        ]
    )


def _status_notes(fb: Feedback) -> str:
    if fb.status == Status.RECEIVED:
        return f"Đã tiếp nhận; hạn trả lời {timezone.localtime(fb.resolve_due):%d/%m/%Y}."
    if fb.status == Status.MORE_INFO_REQUESTED:
        return "Cơ quan đề nghị người gửi bổ sung thông tin."
    if fb.status == Status.IN_PROGRESS:
        return f"Đang xử lý; hạn trả lời {timezone.localtime(fb.resolve_due):%d/%m/%Y}."
    if fb.status == Status.REFUSED:
        return f"Từ chối tiếp nhận: {fb.refuse_reason}"
    if fb.status == Status.ANSWERED:
        return "Đã trả lời người gửi."
    return f"Đã trả lời và công khai: {fb.answer}"


def _updated(fb: Feedback) -> datetime:
    """The moment of the last change of state (not of the row, which housekeeping may touch)."""
    moments = [
        fb.received_at,
        fb.refused_at,
        fb.more_info_requested_at,
        fb.more_info_received_at,
        fb.started_at,
        fb.answered_at,
        fb.published_at,
    ]
    return max(m for m in moments if m is not None)


def _as_request(fb: Feedback) -> dict:
    published = fb.is_published
    return {
        "service_request_id": fb.code,
        "status": "closed" if fb.status in CLOSED_STATUSES else "open",
        "status_notes": _status_notes(fb),
        "service_name": SERVICES[fb.category][0],
        "service_code": fb.category,
        "description": fb.content if published else "",
        "agency_responsible": fb.agency.name,
        "service_notice": "",
        "requested_datetime": _iso(fb.received_at),
        "updated_datetime": _iso(_updated(fb)),
        "expected_datetime": _iso(fb.resolve_due) if fb.status not in CLOSED_STATUSES else None,
        "address": fb.address_string,
        "address_id": "",
        "zipcode": "",
        "lat": float(fb.lat) if fb.lat is not None else None,
        "long": float(fb.long) if fb.long is not None else None,
        "media_url": "",
    }


def _parse_moment(value: str, *, end: bool) -> datetime | None:
    value = value.strip().replace(" ", "+")  # a '+' offset arrives as a space when not URL-encoded
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _get_requests(request):
    agency, error = _agency(request)
    if error:
        return error
    qs = Feedback.objects.filter(agency=agency).select_related("agency")
    ids = [i.strip().upper() for i in (request.GET.get("service_request_id") or "").split(",") if i.strip()]
    if ids:  # the spec: other parameters are ignored when ids are given
        return _json([_as_request(fb) for fb in qs.filter(code__in=ids).order_by("-received_at")])
    codes = [c.strip() for c in (request.GET.get("service_code") or "").split(",") if c.strip()]
    unknown = [c for c in codes if c not in Category.values]
    if unknown:
        return _error(400, f"service_code không hợp lệ: {', '.join(unknown)}")
    if codes:
        qs = qs.filter(category__in=codes)
    statuses = [s.strip().lower() for s in (request.GET.get("status") or "").split(",") if s.strip()]
    if any(s not in ("open", "closed") for s in statuses):
        return _error(400, "status chỉ nhận open, closed.")
    if statuses and set(statuses) != {"open", "closed"}:
        qs = qs.filter(status__in=CLOSED_STATUSES) if statuses == ["closed"] else qs.exclude(status__in=CLOSED_STATUSES)
    try:
        start = _parse_moment(request.GET["start_date"], end=False) if request.GET.get("start_date") else None
        end = _parse_moment(request.GET["end_date"], end=True) if request.GET.get("end_date") else None
    except ValueError as exc:
        return _error(400, f"Ngày giờ không đúng định dạng ISO 8601 (w3c): {exc}")
    if start is None and end is None:
        start = timezone.now() - timedelta(days=DEFAULT_WINDOW_DAYS)
    if start is not None and end is not None and end < start:
        return _error(400, "end_date phải sau start_date.")
    date_filter = Q()
    if start is not None:
        date_filter &= Q(received_at__gte=start)
    if end is not None:
        date_filter &= Q(received_at__lte=end)
    rows = qs.filter(date_filter).order_by("-received_at", "-id")[:MAX_RESULTS]
    return _json([_as_request(fb) for fb in rows])


def _api_key_ok(request) -> bool:
    keys = settings.MOTCUA_OPEN311_API_KEYS
    return not keys or request.POST.get("api_key", "") in keys


def _post_request(request):
    if not _api_key_ok(request):
        return _error(403, "api_key không hợp lệ.")
    if not ratelimit.take(scope="open311-post", ident=client_ip(request), limit=POST_LIMIT, window=3600):
        response = _error(429, "Gửi quá nhiều yêu cầu; vui lòng thử lại sau.")
        response["Retry-After"] = str(ratelimit.retry_after(3600))
        return response
    agency, error = _agency(request)
    if error:
        return error
    data = request.POST
    service_code = (data.get("service_code") or "").strip()
    if not service_code:
        return _error(400, "Thiếu service_code.")
    if service_code not in Category.values:
        return _error(404, f"service_code không tồn tại: {service_code}")
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    if bool(lat) != bool(long):
        return _error(400, "Cần cả lat và long.")
    kind = data.get("attribute[kind]", Kind.FEEDBACK)
    name = " ".join(p for p in (data.get("last_name", "").strip(), data.get("first_name", "").strip()) if p)
    try:
        fb = feedback_services.feedback_submit(
            agency=agency,
            kind=kind if kind in Kind.values else Kind.FEEDBACK,
            category=service_code,
            content=data.get("description", ""),
            submitter_name=name,
            submitter_phone=data.get("phone", ""),
            submitter_email=data.get("email", ""),
            address_string=data.get("address_string", ""),
            lat=lat or None,
            long=long or None,
            channel=Channel.OPEN311,
            require_name=False,
            actor=Applicant(via="unverified"),  # a member of the public through a civic app: no proof of identity
        )
    except ValidationFailed as exc:
        messages = [f"{field}: {m}" for field, ms in exc.fields.items() for m in ms] or [exc.message]
        return _json([{"code": 400, "description": m} for m in messages], status=400)
    notice = (
        f"Đã tiếp nhận. Hạn trả lời: {timezone.localtime(fb.resolve_due):%d/%m/%Y}. "
        "Tra cứu bằng mã này cùng số điện thoại hoặc thư điện tử đã gửi."
    )
    return _json([{"service_request_id": fb.code, "service_notice": notice, "account_id": None}], status=201)


@csrf_exempt  # public machine API without cookies: see the module docstring
@require_http_methods(["GET", "POST"])
def requests(request):
    if request.method == "POST":
        return _post_request(request)
    return _get_requests(request)


@require_GET
def request_detail(request, request_id):
    agency, error = _agency(request)
    if error:
        return error
    fb = Feedback.objects.filter(agency=agency, code=request_id.strip().upper()).select_related("agency").first()
    if fb is None:
        return _error(404, f"Không tìm thấy service_request_id {request_id}.")
    return _json([_as_request(fb)])
