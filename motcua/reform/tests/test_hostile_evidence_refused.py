"""Evidence files of the reform records go through the one upload policy: an HTML body dressed as a PDF,
a PDF carrying an executable and a .docx zip bomb are refused for the file field and nothing is recorded."""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from motcua.core.errors import ValidationFailed
from motcua.core.testing import HTML_AS_PDF, docx_bomb, pdf_bytes, pdf_elf_polyglot
from motcua.core.transitions import SYSTEM
from motcua.reform import services
from motcua.reform.models import RecommendationEvidence

HOSTILE = [
    ("hoa-don.pdf", lambda: HTML_AS_PDF, "không phải là tệp PDF đọc được"),
    ("hop-dong.pdf", pdf_elf_polyglot, "chứa mã chương trình thực thi"),
    ("to-khai.docx", docx_bomb, "nghi là “bom nén”"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, message", HOSTILE, ids=["html-as-pdf", "pdf-elf", "docx-bomb"])
def test_a_hostile_evidence_file_is_refused(make_recommendation, name, content, message):
    rec = make_recommendation(deadline=date(2021, 10, 29))
    with pytest.raises(ValidationFailed) as exc:
        services.recommendation_add_evidence(
            actor=SYSTEM, recommendation=rec, description="Kế hoạch", file=ContentFile(content(), name=name)
        )
    assert message in exc.value.fields["file"][0]
    assert not RecommendationEvidence.objects.exists()
    services.recommendation_add_evidence(
        actor=SYSTEM, recommendation=rec, description="Kế hoạch", file=ContentFile(pdf_bytes(1), name="ke-hoach.pdf")
    )
    assert RecommendationEvidence.objects.count() == 1


def test_a_criteria_import_that_is_a_zip_bomb_is_refused_before_openpyxl_reads_it():
    with pytest.raises(ValidationFailed) as exc:
        services.criteria_rows_from_xlsx(ContentFile(docx_bomb(), name="tieu-chi.xlsx"))
    assert "file" in exc.value.fields
