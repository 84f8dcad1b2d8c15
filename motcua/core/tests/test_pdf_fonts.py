from reportlab.pdfbase import pdfmetrics

from motcua.core import pdf


def test_shipped_fonts_draw_every_vietnamese_letter():
    pdf.register_fonts()
    letters = "ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵỘỦỆẪỰỸ"
    for name in (pdf.SERIF, pdf.SERIF_BOLD, pdf.SERIF_ITALIC):
        face = pdfmetrics.getFont(name).face
        missing = [ch for ch in letters if ord(ch) not in face.charToGlyph]
        assert not missing, f"{name} thiếu: {''.join(missing)}"
