"""Minutes (biên bản) of a CCHC inspection, built from the inspection's records and rendered as DOCX and PDF."""

from motcua.core.rendering import DocSpec, render_docx, render_pdf

from .models import AREA_ORDER, Area, Inspection, InspectionMember, Recommendation


def _d(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def minutes_spec(inspection: Inspection) -> DocSpec:
    agency = inspection.agency
    members = list(inspection.members.all())
    leader = next((m for m in members if m.role == InspectionMember.Role.LEADER), None)
    spec = DocSpec(
        parent_name=agency.parent_name or "Ủy ban nhân dân tỉnh",
        agency_name="Đoàn kiểm tra cải cách hành chính",
        number="Số:      /BB-ĐKT",
        place=agency.province.split("(")[0].strip() or "Tỉnh",
        on=inspection.inspected_on,
        title="Biên bản",
        subtitle=f"Kiểm tra công tác cải cách hành chính năm {inspection.year} tại {agency.name}",
        signature_title="Trưởng đoàn kiểm tra",
        signature_name=leader.full_name if leader else "",
        second_signature_title=f"Đại diện {agency.name}",
    )
    if inspection.plan_id:
        plan = inspection.plan.parent or inspection.plan
        spec.para(f"Căn cứ Kế hoạch số {plan.number} ngày {_d(plan.issued_on)} của {plan.issuer} về {plan.title};")
    if inspection.decision_number:
        issuer = f" của {inspection.decision_issuer}" if inspection.decision_issuer else ""
        spec.para(
            f"Căn cứ Quyết định số {inspection.decision_number} ngày {_d(inspection.decision_on)}{issuer} "
            "về việc thành lập Đoàn kiểm tra công tác cải cách hành chính;"
        )
    place = f", tại {inspection.place}" if inspection.place else ""
    spec.para(
        f"Hôm nay, ngày {_d(inspection.inspected_on)}{place}, Đoàn kiểm tra cải cách hành chính tỉnh tiến hành kiểm tra "
        f"công tác cải cách hành chính tại {agency.name}, với thành phần như sau:"
    )

    spec.heading("I. THÀNH PHẦN")
    spec.para("1. Đoàn kiểm tra:")
    for m in members:
        role = InspectionMember.Role(m.role).label
        spec.bullet(f"{m.full_name}, {m.title} — {role}" if m.title else f"{m.full_name} — {role}")
    spec.para(f"2. Cơ quan được kiểm tra: {agency.name}.")

    spec.heading("II. KẾT QUẢ KIỂM TRA")
    items = list(inspection.checklist.all())
    if inspection.summary:
        spec.para(inspection.summary)
    n = 0
    for area in AREA_ORDER:
        area_items = [i for i in items if i.area == area]
        if not area_items:
            continue
        n += 1
        spec.para(f"{n}. {Area(area).label}")
        for item in area_items:
            spec.bullet(f"{item.content}: {item.finding}" if item.finding else item.content)

    discussion = list(inspection.discussion.all())
    if discussion:
        spec.heading("III. NỘI DUNG THẢO LUẬN")
        spec.para("Tại buổi kiểm tra, các thành viên thảo luận các vấn đề về: " + "; ".join(p.topic for p in discussion) + ".")

    recs = list(inspection.recommendations.select_related("owner_unit").all())
    spec.heading("IV. KIẾN NGHỊ CỦA ĐOÀN KIỂM TRA")
    own = [r for r in recs if r.addressee == Recommendation.Addressee.AGENCY]
    escalated = [r for r in recs if r.addressee == Recommendation.Addressee.PROVINCE]
    if own:
        spec.para(f"1. Đề nghị {agency.name}:")
        spec.table(
            ["TT", "Nội dung kiến nghị", "Đơn vị chủ trì", "Thời hạn"],
            [[i, r.content, r.owner_unit.name if r.owner_unit else "", _d(r.deadline)] for i, r in enumerate(own, 1)],
            widths_mm=[10, 95, 40, 20],
        )
    if escalated:
        spec.para("2. Những kiến nghị Đoàn kiểm tra báo cáo UBND tỉnh để xem xét, điều chỉnh:")
        for r in escalated:
            spec.bullet(r.content)
    spec.para(
        "Biên bản được lập xong hồi ..... giờ cùng ngày, đã đọc lại cho các thành viên tham dự cùng nghe và thống nhất ký tên."
    )
    return spec


def minutes_docx(inspection: Inspection) -> bytes:
    return render_docx(minutes_spec(inspection))


def minutes_pdf(inspection: Inspection) -> bytes:
    return render_pdf(minutes_spec(inspection))
