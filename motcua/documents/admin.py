from django.contrib import admin

from .models import (
    DocumentFile,
    DocumentStep,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    OutgoingRecipient,
    Register,
    RegisterCounter,
    SignatureRecord,
    SigningIdentity,
)


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "code", "is_official_letter", "ordering"]


class CounterInline(admin.TabularInline):
    model = RegisterCounter
    extra = 0
    readonly_fields = ["year", "last_number"]
    can_delete = False


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "kind", "is_secret", "is_active"]
    list_filter = ["kind", "is_secret", "is_active", "agency"]
    inlines = [CounterInline]


class FileInline(admin.TabularInline):
    model = DocumentFile
    extra = 0
    fields = ["kind", "name", "sha256", "size", "verified_at"]
    readonly_fields = fields
    show_change_link = True


class StepInline(admin.TabularInline):
    model = DocumentStep
    extra = 0
    fields = ["at", "action", "actor", "unit", "paper", "note"]
    readonly_fields = fields


# Numbers, symbols and states change only through the services (numbering, workflow): read-only here.
@admin.register(IncomingDocument)
class IncomingDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "year", "register", "sender", "sender_symbol", "summary", "status", "is_electronic"]
    list_filter = ["register", "year", "status", "is_electronic", "confidentiality"]
    search_fields = ["search_text"]
    readonly_fields = ["register", "year", "number", "status", "source_outgoing", "registered_by", "assigned_by", "closed_by"]
    inlines = [FileInline, StepInline]


class RecipientInline(admin.TabularInline):
    model = OutgoingRecipient
    extra = 0


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(admin.ModelAdmin):
    list_display = ["symbol", "issued_date", "summary", "status", "signer", "is_electronic"]
    list_filter = ["register", "year", "status", "is_electronic", "confidentiality"]
    search_fields = ["search_text"]
    readonly_fields = [
        "register",
        "year",
        "number",
        "symbol",
        "status",
        "signer",
        "signed_at",
        "numbered_at",
        "sealed_at",
        "dispatched_at",
        "archived_at",
    ]
    inlines = [RecipientInline, FileInline, StepInline]


@admin.register(DocumentFile)
class DocumentFileAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "incoming", "outgoing", "verified_at"]
    readonly_fields = ["sha256", "size", "verified_at", "verification_error"]


@admin.register(SignatureRecord)
class SignatureRecordAdmin(admin.ModelAdmin):
    list_display = ["signer", "signed_at", "intact", "valid", "trusted", "coverage", "file", "verified_at"]
    list_filter = ["intact", "valid", "trusted", "applied_here"]


@admin.register(SigningIdentity)
class SigningIdentityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "agency", "user", "pkcs12_path", "passphrase_env", "is_active"]
    list_filter = ["kind", "is_active"]
