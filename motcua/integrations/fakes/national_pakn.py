"""The fake national PAKN system (Hệ thống tiếp nhận, trả lời phản ánh, kiến nghị), part of
`fake_national_portal`:

- `GET /api/pakn/moi` (Bearer) — petitions sent to the agencies of the installation and not yet acknowledged
  (given with `/_control` `pakn` [items], checked against dvcqg_pakn_inbound.json; offered twice each with
  `duplicate_callbacks`);
- `POST /api/pakn/capnhat` (Bearer, `Idempotency-Key`) — the agency's acknowledgement (`SuKien` `receive` or
  `reject` with `LyDo`: the petition stops being offered) and every later stage and answer (schema
  dvcqg_pakn_update.json; 400 with the reasons otherwise). Idempotent on `message_id`; an update older than the
  one held for its petition is logged `out_of_order` and not applied; `fail_next` applies as for the sync.
  `/_received` lists each with `"kind": "pakn"`, the national ID, our code, `status_code` (TrangThai), `action`
  (SuKien) and `sequence`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from motcua.integrations import schemas

INBOUND_SCHEMA = "dvcqg_pakn_inbound"
UPDATE_SCHEMA = "dvcqg_pakn_update"
INBOX_PATH = "/api/pakn/moi"
UPDATE_PATH = "/api/pakn/capnhat"
ACKNOWLEDGING = ("receive", "reject")


class FakePaknSystem:
    def __init__(self, portal):
        self.portal = portal
        self.reset()

    def reset(self) -> None:
        self.inbox: list[dict] = []
        self.acknowledged: set[str] = set()
        self.state: dict[str, dict] = {}  # national ID -> the newest update applied

    def control(self, settings: dict) -> list[str]:
        items = settings.get("pakn") or []
        problems = [e for item in items for e in schemas.errors(INBOUND_SCHEMA, item)]
        if not problems:
            self.inbox.extend(items)
        return problems

    def items(self) -> list[dict]:
        with self.portal.lock:
            pending = [item for item in self.inbox if item["MaPAKNQG"] not in self.acknowledged]
            twice = self.portal.duplicate_callbacks
        return [copy for item in pending for copy in ([item, item] if twice else [item])]

    def take(self, message, idempotency_key: str) -> tuple[int, dict]:
        portal = self.portal
        refused = portal.failing("Hệ thống PAKN tạm thời không nhận (giả lập).") or portal.refused(
            UPDATE_SCHEMA, message, idempotency_key
        )
        if refused is not None:
            return refused
        with portal.lock:
            entry = portal.by_id.get(message["message_id"])
            if entry is not None:
                entry["deliveries"] += 1
                return 200, {"accepted": True, "duplicate": True}
            national_id, sequence = message["MaPAKNQG"], message["sequence"]
            held = self.state.get(national_id)
            out_of_order = held is not None and sequence <= held["sequence"]
            entry = {
                "message_id": message["message_id"],
                "kind": "pakn",
                "national_id": national_id,
                "dossier_code": message.get("MaPAKN", ""),
                "status_code": message["TrangThai"],
                "action": message["SuKien"],
                "sequence": sequence,
                "reason": message.get("LyDo", ""),
                "answer": message.get("NoiDungTraLoi", ""),
                "out_of_order": out_of_order,
                "deliveries": 1,
                "received_at": datetime.now(UTC).isoformat(),
            }
            portal.received.append(entry)
            portal.by_id[entry["message_id"]] = entry
            if not out_of_order:
                self.state[national_id] = {"sequence": sequence, "TrangThai": message["TrangThai"]}
            if message["SuKien"] in ACKNOWLEDGING:
                self.acknowledged.add(national_id)
        return 200, {"accepted": True, "duplicate": False}

    def answer(self, method: str, path: str, query: str, raw: bytes, headers) -> tuple[int, dict] | None:
        if path not in (INBOX_PATH, UPDATE_PATH):
            return None
        if not self.portal.authorised(headers.get("Authorization", "")):
            return 401, {"error": "invalid_token"}
        if method == "GET" and path == INBOX_PATH:
            return 200, {"items": self.items()}
        if method == "POST" and path == UPDATE_PATH:
            try:
                message = json.loads(raw)
            except ValueError:
                return 400, {"error": "invalid_json"}
            return self.take(message, headers.get("Idempotency-Key", ""))
        return 405, {"error": "method_not_allowed"}
