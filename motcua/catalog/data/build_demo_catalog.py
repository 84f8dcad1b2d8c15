"""How bql-demo-catalog.json was built (kept for transparency; not used at run time).

Usage: python motcua/catalog/data/build_demo_catalog.py [OUTPUT.json]   (default: bql-demo-catalog.json beside it)
Inputs, all in the repository: sources/bql-procedures.csv and sources/bql-procedures-detail.csv (procedures of
economic-zone boards; see sources/README.md) and national-catalog-2026-07.jsonl.gz (the national catalogue).
The arrangement (which procedures are new, amended, abolished; levels; which commitments are assumed) is written
out below; every assumed value is listed in the procedure's "illustrative" field. Run on the files as committed,
the script writes bql-demo-catalog.json byte for byte."""

import csv
import gzip
import json
import math
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SH = str(HERE / "sources") + "/"
OUT = sys.argv[1] if len(sys.argv) > 1 else str(HERE / "bql-demo-catalog.json")
rows = {r["code"]: r for r in csv.DictReader(open(SH + "bql-procedures.csv")) if r["code"]}
nat = {}
for line in gzip.open(HERE / "national-catalog-2026-07.jsonl.gz", "rt", encoding="utf-8"):
    d = json.loads(line)
    nat[d["code"]] = d

INV = [
    "1.009664",
    "1.009647",
    "1.009665",
    "1.009671",
    "1.009729",
    "1.009731",
    "1.009736",
    "1.115146",
    "1.009748",
    "1.009755",
    "1.009759",
    "1.009770",
    "1.009662",
    "1.009661",
    "1.009645",
    "1.009646",
    "1.009642",
    "1.009644",
    "1.009659",
    "1.115144",
    "1.115145",
    "1.115147",
    "2.002725",
    "2.002727",
]
LAB = ["1.014199", "1.014200", "1.014201", "1.014196", "1.014197", "1.014198", "2.001955"]
CON = ["1.013231", "1.013230", "1.013235", "1.013233", "1.009794", "1.013236", "1.014155"]
TRA = ["1.000665", "2.000063", "2.000347", "2.000327", "2.000450"]
LAND = ["1.115336", "1.115338", "1.115339"]
IN_FORCE = INV + LAB + CON + TRA + LAND
assert len(IN_FORCE) == 46 and len(set(IN_FORCE)) == 46
NEW_2021 = INV + ["1.009794"]
AMENDED_2021 = ["2.001955", "1.000665", "2.000063"]
ABOLISHED = [
    "2.002166",
    "2.000662",
    "2.000665",
    "2.000370",
    "2.000361",
    "2.000362",
    "2.000351",
    "2.000340",
    "2.000339",
    "2.000330",
    "2.000334",
    "2.000322",
    "2.000272",
    "2.000255",
    "1.001441",
    "1.000774",
    "2.000314",
    "2.000907",
    "2.000902",
    "2.001940",
    "1.000414",
    "2.000129",
]
assert len(ABOLISHED) == 22 and not set(ABOLISHED) & set(IN_FORCE)
L3 = ["1.115338", "1.013231", "1.013230", "1.013235", "1.013233", "1.013236"]
L2 = ["1.009671", "1.009729", "1.009794", "1.014155", "1.000665", "2.000063", "2.000347", "2.000327", "2.000450", "2.002727"]
SOURCED_LEVEL = {
    "1.115336",
    "1.115339",
    "1.115338",
    "1.013231",
    "1.013230",
    "2.001955",
    "1.009755",
    "1.009671",
    "1.009729",
    "1.009665",
}
FOUR = ["1.009664", "1.009647", "1.009665"]
NO_CUT = set(L2)
# (legal time, unit) where the sources state it; "calendar_days" where the law says "ngày"
KNOWN = {
    "1.009664": (15, "calendar_days"),
    "1.009647": (10, "calendar_days"),
    "1.009665": (5, "working_days"),
    "1.009671": (3, "working_days"),
    "1.009729": (15, "calendar_days"),
    "1.009731": (15, "calendar_days"),
    "1.009736": (15, "calendar_days"),
    "1.014199": (5, "working_days"),
    "2.001955": (7, "working_days"),
    "1.013231": (20, "calendar_days"),
    "1.013230": (20, "calendar_days"),
    "1.115336": (6.25, "working_days"),
    "1.115338": (4.75, "working_days"),
    "1.115339": (4.75, "working_days"),
}
# agency times published by other Boards (detail CSV) used as this Board's commitment
COMMITTED_SOURCED = {"1.009664": 12, "2.001955": 5, "1.014199": 3, "1.013230": 15}
TIME_NOTES = {r["code"]: r["days_text"] for r in csv.DictReader(open(SH + "bql-procedures-detail.csv")) if r["code"] in rows}


def illustrative_legal(code, name):
    n = name.lower()
    if "chủ trương" in n:
        return 35
    if "chấp thuận nhà đầu tư" in n:
        return 25
    if "gia hạn" in n or "cấp lại" in n:
        return 5 if code in LAB or code in TRA else 15
    if "thông báo" in n:
        return 3
    if code in TRA:
        return 10
    if code in LAB:
        return 5
    if code in CON:
        return 20
    return 15


def kind(code):
    if code in INV:
        return "inv"
    if code in LAB:
        return "lab"
    if code in CON or code in LAND:
        return "con"
    return "tra"


UNIT = {"inv": "QLĐT", "lab": "QLDN", "con": "QHXD", "tra": "QLDN"}


def steps_for(code, committed):
    c = Decimal(str(committed))
    unit = "QLCK" if code == "1.000665" else UNIT[kind(code)]
    receive = Decimal("0.5") if c >= 3 else Decimal("0.25")
    approve = Decimal("1") if c >= 5 else Decimal("0.5")
    issue = Decimal("0.25")
    give = Decimal("0.25")
    work = c - receive - approve - issue - give
    assert work > 0, code
    return [
        {
            "order": 1,
            "name": "Tiếp nhận, kiểm tra hồ sơ, chuyển phòng chuyên môn",
            "unit": "MC",
            "role": "one_stop_officer",
            "duration": str(receive),
        },
        {"order": 2, "name": "Thẩm định hồ sơ, dự thảo kết quả", "unit": unit, "role": "specialist", "duration": str(work)},
        {"order": 3, "name": "Xem xét, ký duyệt kết quả", "unit": "VP", "role": "leader", "duration": str(approve)},
        {"order": 4, "name": "Vào sổ, đóng dấu, phát hành kết quả", "unit": "VP", "role": "clerk", "duration": str(issue)},
        {"order": 5, "name": "Trả kết quả cho tổ chức, cá nhân", "unit": "MC", "role": "one_stop_officer", "duration": str(give)},
    ]


COMPONENTS = {
    "inv": [
        ("Văn bản đề nghị thực hiện thủ tục (theo mẫu tại Thông tư 03/2021/TT-BKHĐT)", 1, 0, True, "Mẫu A.I"),
        ("Bản sao giấy tờ pháp lý của nhà đầu tư", 0, 1, True, ""),
        ("Đề xuất dự án đầu tư hoặc tài liệu giải trình liên quan", 1, 0, True, ""),
        ("Văn bản ủy quyền (nếu nộp thay)", 1, 0, False, ""),
    ],
    "lab": [
        ("Văn bản đề nghị (theo mẫu)", 1, 0, True, "Mẫu số 11/PLI"),
        ("Bản sao hộ chiếu hoặc giấy tờ tương đương", 0, 1, True, ""),
        ("Giấy chứng nhận sức khỏe", 1, 0, True, ""),
        ("02 ảnh màu 4 cm × 6 cm", 2, 0, True, ""),
    ],
    "con": [
        ("Đơn đề nghị (theo mẫu)", 1, 0, True, "Mẫu số 01"),
        ("Bản sao giấy tờ về quyền sử dụng đất hoặc quyết định giao đất, cho thuê đất", 0, 1, True, ""),
        ("Bản vẽ thiết kế, hồ sơ kỹ thuật liên quan", 2, 0, True, ""),
    ],
    "tra": [
        ("Văn bản đề nghị (theo mẫu)", 1, 0, True, "Mẫu MĐ-1"),
        ("Bản sao giấy đăng ký kinh doanh của thương nhân", 0, 1, True, ""),
        ("Tài liệu khác theo quy định", 1, 0, False, ""),
    ],
}
FEES = {
    "inv": [("Phí, lệ phí", 0, "")],
    "lab": [("Lệ phí cấp giấy phép lao động", 600000, "Theo nghị quyết HĐND tỉnh (mức minh họa)")],
    "con": [("Lệ phí cấp giấy phép xây dựng", 150000, "Theo nghị quyết HĐND tỉnh (mức minh họa)")],
    "tra": [("Phí thẩm định", 3000000, "Mức minh họa")],
}
RESULT = {
    "inv": "Giấy chứng nhận đăng ký đầu tư hoặc văn bản của Ban Quản lý",
    "lab": "Giấy phép lao động hoặc văn bản xác nhận",
    "con": "Giấy phép hoặc văn bản của Ban Quản lý",
    "tra": "Giấy phép hoặc giấy chứng nhận theo đề nghị",
}
FIELD_CODES = {}


def field_of(name):
    name = name.strip()
    fixed = {"Đầu tư tại Việt nam": "Đầu tư tại Việt Nam"}.get(name, name)
    return fixed


def entry(code, status):
    if code in rows:
        r = rows[code]
        name = r["name"]
        field = field_of(r["field"])
        legal_basis = [p.strip() for p in r["legal_basis"].split(";") if p.strip()]
        source = r["source"]
    else:
        d = nat[code]
        name = d["name"]
        field = field_of(d["categories"][0])
        legal_basis = []
        source = "dichvucong.gov.vn crawl 2026-07-18 (github:VoidKeishi/OpenGOV backend/data/crawl/catalog.jsonl)"
    ill = []
    if code in KNOWN:
        legal, unit = KNOWN[code]
    else:
        legal, unit = illustrative_legal(code, name), "working_days"
        ill.append("legal_time")
    if code in COMMITTED_SOURCED:
        committed = COMMITTED_SOURCED[code]
    elif code in NO_CUT or status == "abolished":
        committed = legal
        ill.append("committed_time")
    else:
        step = 1 if unit == "calendar_days" else 4  # whole calendar days; quarter working days
        committed = math.floor(Decimal(str(legal)) * Decimal("0.75") * step) / step
        ill.append("committed_time")
    if status == "abolished":
        level = 2
    else:
        level = 3 if code in L3 else 2 if code in L2 else 4
    if code not in SOURCED_LEVEL:
        ill.append("online_level")
    if not legal_basis:
        ill.append("legal_basis")
        legal_basis = ["Văn bản quy phạm pháp luật chuyên ngành (chưa ghi cụ thể trong dữ liệu minh họa)"]
    k = (
        "tra"
        if status == "abolished" and code not in ("2.000907", "2.000902", "2.001940", "1.000414")
        else ("lab" if status == "abolished" else kind(code))
    )
    if status == "abolished":
        ill.append("history")
    item = {
        "code": code,
        "name": name,
        "field": field,
        "legal_basis": legal_basis,
        "time_unit": unit,
        "legal_time": str(legal),
        "committed_time": str(committed),
        "time_note": TIME_NOTES.get(code, ""),
        "online_level": level,
        "online_class": {4: "full", 3: "partial"}.get(level, "none"),
        "channel_counter": True,
        "channel_online": level >= 3,
        "channel_postal": True,
        "result_by_post": True,
        "four_on_spot": code in FOUR,
        "one_stop": True,
        "result": RESULT[k],
        "implementing_body": "Ban Quản lý Khu kinh tế tỉnh",
        "government_level": "province",
        "illustrative": ill,
        "source": source,
        "components": [
            {"name": n, "originals": o, "copies": c, "mandatory": m, "form_name": f} for n, o, c, m, f in COMPONENTS[k]
        ],
        "fees": [{"name": n, "amount_vnd": a, "note": t} for n, a, t in FEES[k]],
        "steps": steps_for(code if status != "abolished" else "x", committed),
    }
    return item


def fix_unit(item, k):
    for s in item["steps"]:
        if s["unit"] not in ("MC", "VP"):
            s["unit"] = UNIT[k]
    return item


procedures = []
for code in IN_FORCE:
    e = entry(code, "in_force")
    e["history"] = "new_2021" if code in NEW_2021 else "amended_2021" if code in AMENDED_2021 else "before_2021"
    if code in AMENDED_2021:
        # the version before the 2021 amendment: same content, longer commitment and an older legal basis
        e["before_amendment"] = {
            "committed_time": e["legal_time"],
            "legal_basis": e["legal_basis"][:1] + ["(căn cứ trước khi sửa đổi, minh họa)"],
        }
    procedures.append(e)
for code in ABOLISHED:
    e = entry(code, "abolished")
    fix_unit(e, "lab" if code in ("2.000907", "2.000902", "2.001940", "1.000414") else "tra")
    e["history"] = "abolished_2021"
    procedures.append(e)

decisions = [
    {
        "number": "2310/QĐ-UBND",
        "signed_on": "2019-11-15",
        "effective_on": "2019-11-15",
        "signer": "Chủ tịch UBND tỉnh",
        "title": "Công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của Ban Quản lý Khu kinh tế tỉnh "
        "(số hiệu minh họa)",
        "items": [
            {"action": "new", "code": p["code"]}
            for p in procedures
            if p["history"] in ("before_2021", "amended_2021", "abolished_2021")
        ],
    },
    {
        "number": "06/QĐ-UBND",
        "signed_on": "2021-01-04",
        "effective_on": "2021-01-04",
        "signer": "Chủ tịch UBND tỉnh",
        "title": "Công bố thủ tục hành chính mới ban hành và bãi bỏ lĩnh vực đầu tư theo Luật Đầu tư 2020 (số hiệu minh họa)",
        "items": [{"action": "new", "code": c} for c in NEW_2021] + [{"action": "abolished", "code": c} for c in ABOLISHED],
    },
    {
        "number": "712/QĐ-UBND",
        "signed_on": "2021-03-26",
        "effective_on": "2021-03-26",
        "signer": "Chủ tịch UBND tỉnh",
        "title": "Công bố thủ tục hành chính được sửa đổi, bổ sung (số hiệu minh họa)",
        "items": [{"action": "amended", "code": c} for c in AMENDED_2021],
    },
]
out = {
    "about": (
        "Danh mục minh họa của Ban Quản lý Khu kinh tế tỉnh: 46 thủ tục đang hiệu lực lấy từ bql-procedures.csv "
        "(mã, tên, lĩnh vực, căn cứ, thời hạn khi có) và 22 thủ tục bị bãi bỏ năm 2021 lấy từ danh mục quốc gia "
        "(mã, tên thật; việc thuộc Ban và bị bãi bỏ là minh họa). Trường 'illustrative' liệt kê giá trị minh họa."
    ),
    "procedures": procedures,
    "decisions": decisions,
}
with open(OUT, "w", encoding="utf-8") as handle:
    json.dump(out, handle, ensure_ascii=False, indent=1)
print(len(procedures))
