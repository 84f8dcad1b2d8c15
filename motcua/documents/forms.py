from datetime import date

from django import forms
from django.utils import timezone

from motcua.core.forms import MultipleFileField
from motcua.core.models import Agency, Unit
from motcua.core.validators import NOTE_MAX, SUMMARY_MAX, form_text

from .models import Confidentiality, DocumentType, Register, RegisterKind, Urgency

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IncomingForm(forms.Form):
    register = forms.ModelChoiceField(Register.objects.none(), label="Sổ đăng ký")
    received_at = forms.DateTimeField(
        label="Thời gian đến",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        help_text="Để trống: thời điểm hiện tại",
    )
    sender = forms.CharField(label="Nơi gửi (tác giả)", max_length=255)
    sender_symbol = forms.CharField(label="Số, ký hiệu", max_length=80, required=False)
    sender_date = forms.DateField(label="Ngày văn bản", required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    doc_type = forms.ModelChoiceField(DocumentType.objects.all(), label="Loại văn bản")
    summary = forms.CharField(label="Trích yếu nội dung", widget=forms.Textarea(attrs={"rows": 3}), **form_text(SUMMARY_MAX))
    urgency = forms.ChoiceField(choices=Urgency.choices, label="Độ khẩn", initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(choices=Confidentiality.choices, label="Độ mật", initial=Confidentiality.NORMAL)
    is_electronic = forms.BooleanField(label="Văn bản điện tử (nhận qua hệ thống)", required=False, initial=True)
    files = MultipleFileField(label="Tệp văn bản (tệp đầu tiên là văn bản chính)")

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = Register.objects.filter(agency=agency, kind=RegisterKind.INCOMING, is_active=True)


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(Unit.objects.none(), label="Đơn vị chủ trì")
    coordinating_units = forms.ModelMultipleChoiceField(
        Unit.objects.none(), label="Đơn vị phối hợp", required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label="Hạn xử lý", required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    note = forms.CharField(
        label="Ý kiến chỉ đạo", required=False, widget=forms.Textarea(attrs={"rows": 2}), **form_text(NOTE_MAX)
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(agency=agency)
        self.fields["lead_unit"].queryset = units
        self.fields["coordinating_units"].queryset = units


class NoteForm(forms.Form):
    note = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 2}), **form_text(NOTE_MAX))
    paper = forms.BooleanField(label="Thực hiện trên giấy", required=False)


class OutgoingForm(forms.Form):
    register = forms.ModelChoiceField(Register.objects.none(), label="Sổ đăng ký")
    doc_type = forms.ModelChoiceField(DocumentType.objects.all(), label="Loại văn bản")
    drafting_unit = forms.ModelChoiceField(Unit.objects.none(), label="Đơn vị soạn thảo", required=False)
    summary = forms.CharField(label="Trích yếu nội dung", widget=forms.Textarea(attrs={"rows": 3}), **form_text(SUMMARY_MAX))
    urgency = forms.ChoiceField(choices=Urgency.choices, label="Độ khẩn", initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(choices=Confidentiality.choices, label="Độ mật", initial=Confidentiality.NORMAL)
    is_electronic = forms.BooleanField(label="Phát hành điện tử", required=False, initial=True)
    internal_recipients = forms.ModelMultipleChoiceField(
        Agency.objects.none(), label="Nơi nhận trong hệ thống", required=False, widget=forms.CheckboxSelectMultiple
    )
    other_recipients = forms.CharField(
        label="Nơi nhận khác (mỗi dòng một nơi)", required=False, widget=forms.Textarea(attrs={"rows": 2}), **form_text(NOTE_MAX)
    )
    main_file = forms.FileField(label="Tệp văn bản chính (PDF)")
    attachments = MultipleFileField(label="Phụ lục, tài liệu kèm theo")

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = Register.objects.filter(agency=agency, kind=RegisterKind.OUTGOING, is_active=True)
        self.fields["drafting_unit"].queryset = Unit.objects.filter(agency=agency)
        self.fields["internal_recipients"].queryset = Agency.objects.exclude(pk=agency.pk)


class PeriodForm(forms.Form):
    start = forms.DateField(label="Từ ngày", required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    end = forms.DateField(label="Đến ngày", required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def period(self, *, year: int | None = None):
        """(start, end) asked for; by default the whole of `year` (up to today), or of the current year."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        year = year or today.year
        start = data.get("start") or date(year, 1, 1)
        end = data.get("end") or min(date(year, 12, 31), today)
        return start, end
