"""The national catalogue import creates or updates by code, and a second run changes nothing."""

import gzip
import io
import json
from datetime import date
from itertools import islice

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.catalog import national, selectors
from motcua.catalog.models import Field, Procedure, ProcedureVersion


def _sample(n=30):
    with gzip.open(national.DEFAULT_FILE, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in islice(handle, n)]


def _write(tmp_path, records, name="sample.jsonl.gz"):
    path = tmp_path / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def _run(path):
    out = io.StringIO()
    call_command(
        "import_national_catalog", str(path), "--valid-from", "2026-07-18", "--no-progress", stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


@pytest.mark.django_db
def test_national_import_is_idempotent_and_updates_by_code(tmp_path, make_procedure):
    records = _sample()
    local = make_procedure(code=records[0]["code"], name="Tên do cơ quan tự công bố")
    path = _write(tmp_path, records)

    first = _run(path)
    assert f"{len(records) - 1} thủ tục mới" in first and "1 giữ nguyên" in first
    assert Procedure.objects.count() == len(records)
    state = sorted(ProcedureVersion.objects.values_list("procedure__code", "number", "name", "field_id", "updated_at"))
    fields = Field.objects.count()

    second = _run(path)
    assert "0 thủ tục mới, 0 cập nhật" in second and "0 lĩnh vực mới" in second
    assert sorted(ProcedureVersion.objects.values_list("procedure__code", "number", "name", "field_id", "updated_at")) == state
    assert Field.objects.count() == fields

    records[1] = {**records[1], "name": records[1]["name"] + " (đã sửa)"}
    third = _run(_write(tmp_path, records, "changed.jsonl"))  # plain .jsonl too
    assert "1 cập nhật" in third
    version = selectors.procedure_version_in_force(code=records[1]["code"], on=date(2026, 7, 18))
    assert version.name.endswith("(đã sửa)") and version.number == 1
    found = selectors.procedure_search(query=records[1]["name"][:20].upper(), on=date(2026, 7, 18))
    assert records[1]["code"] in [v.procedure.code for v in found]
    local.refresh_from_db()
    assert local.name == "Tên do cơ quan tự công bố"  # the agency's own version is left alone
    v = ProcedureVersion.objects.get(procedure__code=records[2]["code"])
    assert v.field.name == records[2]["categories"][0] and v.implementing_body.startswith(records[2]["departments"][0])


@pytest.mark.django_db
def test_a_broken_line_rejects_the_whole_file(tmp_path):
    path = tmp_path / "broken.jsonl"
    good = json.dumps(_sample(1)[0], ensure_ascii=False)
    path.write_text(good + "\n{not json\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 2"):
        _run(path)
    assert not Procedure.objects.exists()
