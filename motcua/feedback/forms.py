"""Forms of the PAKN pages: input parsing only; the rules live in services.py."""

from django import forms

from motcua.core.errors import ValidationFailed
from motcua.core.forms import MultipleFileField, PreparedChoiceField, PreparedChoices

from .models import Category, Kind
from .uploads import MAX_FILES, allowed_extensions_text, check_uploads, human_size, max_upload_bytes

REQUIRED = {"required": "Vui lòng nhập thông tin này."}
PROCEDURE_NONE = ("", "— Không chọn —")


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        initial=Kind.FEEDBACK,
        error_messages={"required": "Vui lòng chọn phản ánh hoặc kiến nghị.", "invalid_choice": "Lựa chọn không hợp lệ."},
    )
    category = forms.ChoiceField(
        label="Nội dung liên quan đến",
        choices=[("", "— Chọn —"), *Category.choices],
        error_messages={"required": "Vui lòng chọn nội dung liên quan.", "invalid_choice": "Lựa chọn không hợp lệ."},
    )
    recipient = forms.ChoiceField(
        label="Gửi đến cơ quan",
        required=False,
        choices=[],
        error_messages={"invalid_choice": "Cơ quan không có trong danh sách."},
    )
    procedure = PreparedChoiceField(  # every procedure of the province: prepared once (feedback.views)
        label="Thủ tục hành chính liên quan (nếu có)",
        required=False,
        error_messages={"invalid_choice": "Thủ tục không có trong danh mục."},
    )
    title = forms.CharField(
        label="Tiêu đề", max_length=255, required=False, error_messages={"max_length": "Tiêu đề tối đa 255 ký tự."}
    )
    content = forms.CharField(
        label="Nội dung phản ánh, kiến nghị",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={"required": "Vui lòng nhập nội dung phản ánh, kiến nghị.", "max_length": "Nội dung tối đa 10.000 ký tự."},
    )
    submitter_name = forms.CharField(
        label="Họ và tên (hoặc tên tổ chức)", max_length=255, error_messages={"required": "Vui lòng nhập họ và tên."}
    )
    submitter_phone = forms.CharField(
        label="Số điện thoại", max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    submitter_email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
    )
    submitter_address = forms.CharField(label="Địa chỉ liên hệ", max_length=500, required=False)
    attachments = MultipleFileField(
        label="Tệp đính kèm",
        required=False,
        error_messages={"invalid": "Tệp tải lên không hợp lệ.", "empty": "Tệp tải lên rỗng."},
    )
    consent = forms.BooleanField(
        label="Tôi đồng ý để cơ quan dùng thông tin liên hệ trên để xử lý và trả lời phản ánh, kiến nghị này.",
        error_messages={"required": "Vui lòng xác nhận đồng ý để cơ quan liên hệ trả lời."},
    )

    def __init__(self, *args, procedure_choices: PreparedChoices, agency_choices=(), default_recipient: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].prepare(procedure_choices)  # PROCEDURE_NONE first (procedure_options)
        # The province portal: the agency the PAKN is addressed to; none chosen → the procedure's agency,
        # else the province office, which routes it.
        if agency_choices:
            self.fields["recipient"].choices = [
                ("", f"— Không rõ: {default_recipient} chuyển đến cơ quan có thẩm quyền —"),
                *agency_choices,
            ]
        else:
            del self.fields["recipient"]
        self.fields[
            "attachments"
        ].help_text = (
            f"Tối đa {MAX_FILES} tệp, mỗi tệp không quá {human_size(max_upload_bytes())}; định dạng {allowed_extensions_text()}."
        )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        try:
            self.checked_uploads = check_uploads(files)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.fields.get("attachments") or [exc.message])
        return files

    def clean(self):
        data = super().clean()
        if (
            not (data.get("submitter_phone") or "").strip()
            and not (data.get("submitter_email") or "").strip()
            and "submitter_email" not in self.errors
        ):
            self.add_error("submitter_phone", "Vui lòng nhập số điện thoại hoặc thư điện tử để nhận trả lời và tra cứu.")
        return data

    def add_service_errors(self, exc: ValidationFailed) -> None:
        for field, messages in exc.fields.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
        if not exc.fields:
            self.add_error(None, exc.message)


class LookupForm(forms.Form):
    code = forms.CharField(
        label="Mã phản ánh, kiến nghị",
        max_length=24,
        error_messages={"required": "Vui lòng nhập mã PAKN."},
        widget=forms.TextInput(attrs={"placeholder": "PAKN-260213-0001", "autocomplete": "off"}),
    )
    contact = forms.CharField(
        label="Số điện thoại hoặc thư điện tử đã khai khi gửi",
        max_length=254,
        error_messages={"required": "Vui lòng nhập số điện thoại hoặc thư điện tử."},
    )
