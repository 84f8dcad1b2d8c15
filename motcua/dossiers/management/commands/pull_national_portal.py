from motcua.dossiers.national_inbound import pull
from motcua.integrations.inbound import PullCommand


class Command(PullCommand):
    help = (
        "Nhận hồ sơ nộp trên Cổng Dịch vụ công quốc gia (chạy định kỳ): kiểm tra, tiếp nhận thành hồ sơ trực tuyến "
        "của cơ quan có thẩm quyền, bỏ qua hồ sơ trùng, gửi xác nhận hoặc lý do từ chối về Cổng qua hàng đợi kết nối."
    )
    pull = pull
