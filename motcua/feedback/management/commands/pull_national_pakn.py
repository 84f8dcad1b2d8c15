from motcua.feedback.national import pull
from motcua.integrations.inbound import PullCommand


class Command(PullCommand):
    help = (
        "Nhận phản ánh, kiến nghị từ Hệ thống PAKN quốc gia (chạy định kỳ): kiểm tra, đưa vào danh sách xử lý của cơ "
        "quan được gửi, bỏ qua bản trùng, báo tiếp nhận hoặc lý do từ chối về hệ thống quốc gia qua hàng đợi kết nối."
    )
    pull = pull
