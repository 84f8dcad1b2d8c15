"""Demo catalog of the Economic Zone Management Board (loaded by `manage.py seed_demo`).

The data file `data/bql-demo-catalog.json` holds 46 procedures in force (real codes and names from the
Boards' published lists) and 22 older procedures abolished in 2021, with the three publication decisions
that built the catalog. Every figure of the dashboard is derived from these records; values that are
illustrative are listed in each version's `illustrative` field."""

import json
from datetime import date
from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from docx import Document

from motcua.core.transitions import SYSTEM

from . import services
from .models import Component, Procedure, ProcedureVersion, PublicationDecision
from .text import normalize

DATA_FILE = Path(__file__).resolve().parent / "data" / "bql-demo-catalog.json"
VERSION_KEYS = [k for k in services.VERSION_FIELDS if k not in ("field", "agency")]


def field_code(name: str) -> str:
    return slugify(normalize(name))[:40]


def load() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _version_data(entry: dict, field, agency) -> dict:
    data = {k: entry[k] for k in VERSION_KEYS if k in entry}
    return {**data, "field": field, "agency": agency}


DEMO_FORM_PROCEDURES = 3  # the first procedures in force whose components name a form get a sample file


def sample_form_docx(*, form_name: str, procedure_name: str, component_name: str) -> bytes:
    """An illustrative form (DOCX) for the demo: clearly marked as not the official form."""

    doc = Document()
    doc.add_paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    doc.add_heading(form_name, level=1)
    doc.add_paragraph("MẪU MINH HỌA — không phải mẫu chính thức; dùng mẫu ban hành kèm văn bản quy phạm pháp luật.")
    doc.add_paragraph(f"Thủ tục: {procedure_name}")
    doc.add_paragraph(f"Giấy tờ: {component_name}")
    for label in ("Tên tổ chức, cá nhân đề nghị", "Địa chỉ", "Điện thoại", "Nội dung đề nghị"):
        doc.add_paragraph(f"{label}: ........................................................................")
    doc.add_paragraph("…, ngày … tháng … năm …\nNGƯỜI ĐỀ NGHỊ\n(Ký, ghi rõ họ tên)")
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def attach_demo_forms(*, agency, stdout=None) -> int:
    """Idempotent: attach a generated, illustrative DOCX to the named forms of a few demo procedures
    that have none yet (in force, of `agency`). Returns the number of files attached."""

    versions = (
        ProcedureVersion.objects.filter(agency=agency, status=ProcedureVersion.Status.IN_FORCE, components__form_name__gt="")
        .select_related("procedure")
        .distinct()
        .order_by("procedure__code")[:DEMO_FORM_PROCEDURES]
    )
    attached = 0
    for version in versions:
        for component in Component.objects.filter(version=version, form_file="").exclude(form_name=""):
            data = sample_form_docx(form_name=component.form_name, procedure_name=version.name, component_name=component.name)
            name = f"{slugify(normalize(version.procedure.code))}-{slugify(normalize(component.form_name))}-minh-hoa.docx"
            component.form_file.save(name, ContentFile(data), save=True)
            attached += 1
    if stdout and attached:
        stdout.write(f"Danh mục TTHC: {attached} mẫu đơn, tờ khai minh họa (DOCX) đính kèm.")
    return attached


def seed(*, agency, stdout=None) -> None:
    """Idempotent: nothing happens when the demo decisions exist already."""
    data = load()
    first = data["decisions"][0]["number"]
    if PublicationDecision.objects.filter(agency=agency, number=first).exists():
        if stdout:
            stdout.write("Danh mục TTHC: đã có dữ liệu minh họa.")
        attach_demo_forms(agency=agency, stdout=stdout)
        return
    with transaction.atomic():
        fields = {}
        versions = {}
        for entry in data["procedures"]:
            name = entry["field"]
            if name not in fields:
                fields[name] = services.field_get_or_create(actor=SYSTEM, code=field_code(name), name=name)
            if Procedure.objects.filter(code=entry["code"]).exists():
                continue  # e.g. loaded earlier from the national catalogue: leave it as it is
            values = _version_data(entry, fields[name], agency)
            values.update(entry.get("before_amendment", {}))
            versions[entry["code"]] = services.procedure_create(
                actor=SYSTEM,
                code=entry["code"],
                data=values,
                components=entry["components"],
                fees=entry["fees"],
                steps=entry["steps"],
            )
        by_code = {e["code"]: e for e in data["procedures"]}
        skipped = len(data["procedures"]) - len(versions)
        decisions = 0
        for spec in data["decisions"]:
            if not any(item["code"] in versions for item in spec["items"]):
                continue
            decisions += 1
            decision = services.decision_create(
                actor=SYSTEM,
                agency=agency,
                number=spec["number"],
                signed_on=date.fromisoformat(spec["signed_on"]),
                effective_on=date.fromisoformat(spec["effective_on"]),
                signer=spec["signer"],
                title=spec["title"],
            )
            for item in spec["items"]:
                code = item["code"]
                if code not in versions:
                    continue
                procedure = versions[code].procedure
                version = None
                if item["action"] == "new":
                    version = versions[code]
                elif item["action"] == "amended":
                    entry = by_code[code]
                    version = services.procedure_version_create(
                        actor=SYSTEM, procedure=procedure, data={k: entry[k] for k in entry.get("before_amendment", {})}
                    )
                services.decision_item_add(
                    actor=SYSTEM, decision=decision, action=item["action"], procedure=procedure, version=version
                )
            services.decision_apply(actor=SYSTEM, decision=decision)
    attach_demo_forms(agency=agency, stdout=stdout)
    if stdout:
        stdout.write(f"Danh mục TTHC: {len(versions)} thủ tục, {decisions} quyết định công bố.")
        if skipped:
            stdout.write(
                f"  Bỏ qua {skipped} mã đã có sẵn (ví dụ đã nạp danh mục quốc gia trước): số liệu minh họa "
                "sẽ không đúng như bài báo; hãy chạy seed_demo trên cơ sở dữ liệu mới, trước import_national_catalog."
            )
