from django import forms

from .models import LegalDraft


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(forms.Form):
    description = forms.CharField(label="Mô tả minh chứng", max_length=500)
    reference = forms.CharField(label="Số, ký hiệu văn bản (nếu có)", max_length=255, required=False)
    file = forms.FileField(label="Tệp minh chứng", required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label="Kết quả thực hiện", widget=forms.Textarea(attrs={"rows": 3}))


class AdvanceForm(forms.Form):
    stage = forms.ChoiceField(label="Chuyển sang giai đoạn", choices=LegalDraft.Stage.choices)
    on = forms.DateField(label="Ngày", input_formats=["%d/%m/%Y", "%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "date"}))
    issued_number = forms.CharField(label="Số văn bản ban hành", max_length=60, required=False)


class CriteriaImportForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    name = forms.CharField(label="Tên bộ tiêu chí", max_length=500)
    file = forms.FileField(label="Tệp XLSX (cột: Mã | Tiêu chí | Điểm tối đa | Lĩnh vực)")


class ScoreForm(forms.Form):
    score = forms.DecimalField(label="Điểm tự chấm", min_value=0, max_digits=6, decimal_places=2)
    evidence = forms.CharField(label="Tài liệu kiểm chứng", widget=forms.Textarea(attrs={"rows": 2}))
