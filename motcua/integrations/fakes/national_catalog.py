"""The fake national portal's procedure database (CSDL quốc gia về TTHC), part of `fake_national_portal`:

- `GET /api/tthc/chitiet?MaTTHC=<code>` (Bearer token) — one procedure in the shape of
  motcua/integrations/schemas/dvcqg_procedure.json, 404 `{"error": "not_found"}` for an unknown code.

It serves the real national catalogue shipped with the project (motcua/catalog/data/
national-catalog-2026-07.jsonl.gz, crawled from dichvucong.gov.vn: name, field, executing bodies, target
groups, promulgating body, state). That file holds no times, channels, fees, papers or steps: those sections
are `null` ("not carried"), never an empty list, so motcua neither compares nor overwrites them. `/_control`
`procedures` [records] adds or replaces records (checked against the schema: the national database changed),
`remove_procedures` [codes] hides codes."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path
from urllib.parse import parse_qs

from motcua.integrations import schemas

SCHEMA = "dvcqg_procedure"
PROCEDURE_PATH = "/api/tthc/chitiet"
# Data, not code: read by path (integrations sits below catalog and imports nothing of it).
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "catalog" / "data" / "national-catalog-2026-07.jsonl.gz"
NOT_CARRIED = ("ThoiHanGiaiQuyet", "KenhThucHien", "PhiLePhi", "ThanhPhanHoSo", "TrinhTuThucHien", "CanCuPhapLy")


def from_crawl(record: dict) -> dict:
    """A line of the crawled national catalogue in the detail shape; what it does not hold is null."""
    names = [c for c in record.get("categories") or [] if c and c.strip()]
    ids = [c for c in record.get("categoryIds") or [] if c]
    return {
        "ID": str(record.get("id") or ""),
        "MaTTHC": record["code"].strip(),
        "TenTTHC": record["name"].strip(),
        "MaLinhVuc": ids[0] if ids else None,
        "TenLinhVuc": names[0].strip() if names else None,
        "CoQuanThucHien": [d.strip() for d in record.get("departments") or [] if d and d.strip()],
        "CoQuanCongBo": record.get("departmentPromulgate"),
        "CapThucHien": None,  # the crawl has the promulgating body, not the levels that carry it out
        "DoiTuongThucHien": [t for t in record.get("formalityTargetType") or [] if t],
        "TrangThai": record.get("state"),
        "LoaiTTHC": record.get("type"),
        **dict.fromkeys(NOT_CARRIED),
        "KetQuaThucHien": None,
        "YeuCauDieuKien": None,
    }


class FakeProcedureDatabase:
    def __init__(self, portal, *, file: Path = DEFAULT_FILE):
        self.portal, self.file = portal, file
        self._crawled: dict[str, dict] | None = None
        self._load_lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.overrides: dict[str, dict] = {}
        self.removed: set[str] = set()
        self.fetches = 0

    def crawled(self) -> dict[str, dict]:
        with self._load_lock:
            if self._crawled is None:
                records: dict[str, dict] = {}
                with gzip.open(self.file, "rt", encoding="utf-8") as handle:
                    for line in handle:
                        if line.strip():
                            record = json.loads(line)
                            if (record.get("code") or "").strip() and (record.get("name") or "").strip():
                                records[record["code"].strip()] = record  # the last line of a code wins
                self._crawled = records
            return self._crawled

    def control(self, settings: dict) -> list[str]:
        records = settings.get("procedures") or []
        problems = [e for record in records for e in schemas.errors(SCHEMA, record)]
        if problems:
            return problems
        for record in records:
            self.overrides[record["MaTTHC"]] = record
            self.removed.discard(record["MaTTHC"])
        self.removed.update(settings.get("remove_procedures") or [])
        return []

    def procedure(self, code: str) -> dict | None:
        code = code.strip()
        if code in self.removed:
            return None
        if code in self.overrides:
            return self.overrides[code]
        record = self.crawled().get(code)
        return from_crawl(record) if record else None

    def answer(self, method: str, path: str, query: str, raw: bytes, headers) -> tuple[int, dict] | None:
        if method != "GET" or path != PROCEDURE_PATH:
            return None
        if not self.portal.authorised(headers.get("Authorization", "")):
            return 401, {"error": "invalid_token"}
        code = parse_qs(query).get("MaTTHC", [""])[0]
        self.fetches += 1
        found = self.procedure(code) if code else None
        if found is None:
            return 404, {"error": "not_found", "detail": f"Không có thủ tục mã {code} trong CSDL quốc gia."}
        return 200, found
