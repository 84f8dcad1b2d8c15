from django import forms

from motcua.core.models import Unit
from motcua.core.validators import CONTENT_MAX, NOTE_MAX, form_text

from .models import Area, JobPosition, LegalDraft, Recommendation, ReformPlan


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}), **form_text(NOTE_MAX))


class EvidenceForm(forms.Form):
    description = forms.CharField(label="Mô tả minh chứng", max_length=500)
    reference = forms.CharField(label="Số, ký hiệu văn bản (nếu có)", max_length=255, required=False)
    file = forms.FileField(label="Tệp minh chứng", required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label="Kết quả thực hiện", widget=forms.Textarea(attrs={"rows": 3}), **form_text(NOTE_MAX))


class AdvanceForm(forms.Form):
    stage = forms.ChoiceField(label="Chuyển sang giai đoạn", choices=LegalDraft.Stage.choices)
    on = forms.DateField(
        label="Ngày", input_formats=["%d/%m/%Y", "%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    issued_number = forms.CharField(label="Số văn bản ban hành", max_length=60, required=False)


class CriteriaImportForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    name = forms.CharField(label="Tên bộ tiêu chí", max_length=500)
    file = forms.FileField(label="Tệp XLSX (cột: Mã | Tiêu chí | Điểm tối đa | Lĩnh vực)")


class ScoreForm(forms.Form):
    score = forms.DecimalField(label="Điểm tự chấm", min_value=0, max_digits=6, decimal_places=2)
    evidence = forms.CharField(label="Tài liệu kiểm chứng", widget=forms.Textarea(attrs={"rows": 2}), **form_text(NOTE_MAX))


DATE = {"input_formats": ["%d/%m/%Y", "%Y-%m-%d"], "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class _AgencyForm(forms.Form):
    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("owner_unit", "unit"):
            if name in self.fields:
                self.fields[name].queryset = Unit.objects.filter(agency=agency).order_by("name")


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label="Loại kế hoạch", choices=ReformPlan.Kind.choices)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    number = forms.CharField(label="Số, ký hiệu", max_length=60)
    issued_on = forms.DateField(label="Ngày ban hành", **DATE)
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=255)
    title = forms.CharField(label="Trích yếu", max_length=1000)


class TaskForm(_AgencyForm):
    plan = forms.ModelChoiceField(label="Kế hoạch", queryset=None)
    area = forms.ChoiceField(label="Lĩnh vực", choices=Area.choices)
    title = forms.CharField(label="Nhiệm vụ", max_length=1000)
    owner_unit = forms.ModelChoiceField(label="Đơn vị chủ trì", queryset=None)
    expected_output = forms.CharField(label="Sản phẩm dự kiến", max_length=1000, required=False)
    start_on = forms.DateField(label="Ngày bắt đầu", **DATE)
    working_days = forms.IntegerField(label="Thời hạn (ngày làm việc)", min_value=1, required=False)
    due_on = forms.DateField(label="hoặc hạn cố định", required=False, **DATE)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, agency=agency, **kwargs)
        self.fields["plan"].queryset = ReformPlan.objects.filter(agency=agency).order_by("-year")


class DraftForm(forms.Form):
    year = forms.IntegerField(label="Năm đăng ký", min_value=2000, max_value=2100)
    title = forms.CharField(label="Tên văn bản", max_length=1000)
    doc_type = forms.CharField(label="Loại văn bản", max_length=60, initial="Quyết định")
    registered_on = forms.DateField(label="Ngày đăng ký", **DATE)
    replaces_number = forms.CharField(label="Thay thế văn bản số", max_length=60, required=False)
    replaces_date = forms.DateField(label="Ngày của văn bản bị thay thế", required=False, **DATE)
    replaces_issuer = forms.CharField(label="Cơ quan ban hành văn bản bị thay thế", max_length=255, required=False)


class MonitoringForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    field = forms.CharField(label="Lĩnh vực", max_length=500)
    content = forms.CharField(label="Nội dung theo dõi", widget=forms.Textarea(attrs={"rows": 2}), **form_text(CONTENT_MAX))
    monitored_on = forms.DateField(label="Ngày", required=False, **DATE)


class QuotaForm(_AgencyForm):
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=None)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    assigned = forms.IntegerField(label="Biên chế được giao", min_value=0)
    filled = forms.IntegerField(label="Có mặt", min_value=0)


class PositionForm(_AgencyForm):
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=None)
    name = forms.CharField(label="Vị trí việc làm", max_length=255)
    group = forms.ChoiceField(label="Nhóm", choices=JobPosition.Group.choices)
    headcount = forms.IntegerField(label="Số người cần", min_value=1, initial=1)


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label="Ngày kiểm tra", **DATE)
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    decision_number = forms.CharField(label="Quyết định thành lập đoàn", max_length=60, required=False)
    decision_on = forms.DateField(label="Ngày quyết định", required=False, **DATE)
    decision_issuer = forms.CharField(label="Cơ quan ban hành quyết định", max_length=255, required=False)
    members = forms.CharField(
        label="Thành viên đoàn (mỗi dòng: Họ tên | chức vụ, cơ quan | vai trò: trưởng đoàn, phó trưởng đoàn, thành viên, thư ký)",
        widget=forms.Textarea(attrs={"rows": 4}),
        **form_text(CONTENT_MAX),
    )

    ROLES = {"trưởng đoàn": "leader", "phó trưởng đoàn": "deputy", "thành viên": "member", "thư ký": "secretary"}

    def clean_members(self):
        members = []
        for n, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            role = self.ROLES.get(parts[2].lower() if len(parts) > 2 and parts[2] else "thành viên")
            if role is None:
                raise forms.ValidationError(f"Dòng {n}: vai trò không hợp lệ.")
            members.append({"full_name": parts[0], "title": parts[1] if len(parts) > 1 else "", "role": role})
        return members


class ChecklistForm(forms.Form):
    area = forms.ChoiceField(label="Lĩnh vực", choices=Area.choices)
    content = forms.CharField(label="Nội dung kiểm tra", max_length=1000)
    finding = forms.CharField(label="Kết quả", required=False, widget=forms.Textarea(attrs={"rows": 2}), **form_text(NOTE_MAX))


class DiscussionForm(forms.Form):
    topic = forms.CharField(label="Vấn đề thảo luận", max_length=1000)


class RecommendationForm(_AgencyForm):
    area = forms.ChoiceField(label="Lĩnh vực", choices=Area.choices)
    content = forms.CharField(label="Nội dung kiến nghị", widget=forms.Textarea(attrs={"rows": 2}), **form_text(CONTENT_MAX))
    addressee = forms.ChoiceField(label="Đối tượng thực hiện", choices=Recommendation.Addressee.choices)
    owner_unit = forms.ModelChoiceField(label="Đơn vị chủ trì", queryset=None, required=False)
    deadline = forms.DateField(label="Hạn thực hiện", required=False, **DATE)
    working_days = forms.IntegerField(label="hoặc số ngày làm việc kể từ ngày kiểm tra", min_value=1, required=False)
