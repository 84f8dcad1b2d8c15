import signal
import time

from django.core.management.base import BaseCommand

from motcua.digitisation.services import ocr_jobs_discover, ocr_run_due


class Command(BaseCommand):
    help = (
        "Tiến trình nền số hoá: tìm các tệp quét giấy tờ mới tiếp nhận, nhận dạng chữ (OCR), kiểm tra từng trang, "
        "ký số bản sao bằng chữ ký số cơ quan; thử lại khi lỗi. Chạy riêng với run_worker để OCR (vài phút) "
        "không làm chậm thư và thông điệp kết nối."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy một lượt rồi dừng")
        parser.add_argument("--interval", type=float, default=5.0, help="Số giây chờ khi không còn việc")
        parser.add_argument("--backfill", action="store_true", help="Trước tiên xếp hàng mọi tệp quét cũ chưa số hoá")

    def handle(self, *args, once, interval, backfill, **options):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True  # the file being OCR'd is finished first; a killed worker's job is taken again after the lease

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if backfill:
            self.stdout.write(f"đã xếp hàng {ocr_jobs_discover(limit=10**9, everything=True)} tệp cũ")
        while True:
            done = ocr_run_due(limit=1)
            if any(done.values()):
                self.stdout.write(
                    f"số hoá: xếp hàng {done['queued']}, xong {done['done']}, chờ thử lại {done['retry']}, "
                    f"không thành công {done['failed']}"
                )
            if once or stopping:
                return
            if not (done["done"] or done["retry"] or done["failed"]):
                time.sleep(interval)  # nothing was due: wait; otherwise take the next job at once
