"""OCR throughput of the digitisation pipeline next to OCRmyPDF alone on the same files in the same run, and the
counter's intake time with and without OCR running in the background (issue 19, "Must show").

1. Throughput. Scans are drawn like the tests' (Vietnamese text with diacritics, A4 at 300 dpi, Liberation Serif),
   each file a few pages of different text. Each round runs every file through
   - OCRmyPDF alone: `ocrmypdf.ocr` with the options the pipeline gives it (vie+eng, PDF/A-2b by the internal
     backend, mode skip, the same number of parallel pages), nothing else;
   - the pipeline: `motcua.digitisation.ocr.run_ocr` (the same OCRmyPDF call plus the plugin that reads each page's
     hOCR confidence and ink, pdftotext of every page, the flags) then the agency seal's PAdES signature
     (`documents.signing.sign_pdf_bytes`, as `services.certify_pdf` signs; a throwaway PKI), i.e. the job minus
     its database rows.
   The two alternate file by file (A, B, B, A …) so both see the same machine. Reported: pages per minute (wall)
   and per CPU-minute (this process and its finished children: OCRmyPDF's workers and their Tesseract runs, so the
   figure holds on a machine shared with other work) of each, and the ratios to OCRmyPDF alone of the pipeline's
   OCR step (`run_ocr`) and of the whole with the seal (goal ≤ 1.2).
2. Intake. `dossiers.intake.dossier_receive` at the counter with one scanned PDF marked digitised (what the desk's
   page calls), timed N times with no OCR running, N times while a background process OCRs scans non-stop (a
   stand-in for `manage.py run_ocr_worker`, started with `nice`), and N times idle again. The intake writes no
   job and does no OCR (the worker finds the file later), so any difference is the machine's CPU being shared.

Usage:  .venv/bin/python bench/ocr_throughput.py [--files 4] [--pages 3] [--rounds 2] [--intakes 30] [--nice 10]
        [--jobs 0] [--no-write]
The intake part uses a throwaway SQLite database (migrated at start) unless DATABASE_URL names one.
Appends the run to bench/results/ocr-<date>.txt unless --no-write.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXTS = [
    [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY CHỨNG NHẬN ĐĂNG KÝ ĐẦU TƯ",
        "Ông Nguyễn Văn Hưởng, sinh ngày 12/03/1985, thường trú tại thị trấn Thạch Hà.",
        "Dự án: Nhà máy chế biến thủy sản xuất khẩu Vũng Áng, tỉnh Hà Tĩnh.",
        "Tổng vốn đầu tư: 120.000.000.000 đồng (Một trăm hai mươi tỷ đồng).",
        "Tiến độ thực hiện: quý IV năm 2026 khởi công, quý II năm 2028 vận hành.",
    ],
    [
        "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
        "Kính gửi: Ủy ban nhân dân huyện Cẩm Xuyên",
        "Tên chủ đầu tư: Bà Trần Thị Bích Ngọc, số định danh 042190012345.",
        "Địa điểm xây dựng: thửa đất số 215, tờ bản đồ số 14, xã Cẩm Thành.",
        "Loại công trình: nhà ở riêng lẻ, ba tầng, diện tích sàn 245 mét vuông.",
        "Tôi xin cam kết làm theo đúng giấy phép được cấp.",
    ],
    [
        "HỢP ĐỒNG THUÊ ĐẤT",
        "Bên cho thuê: Sở Tài nguyên và Môi trường tỉnh Hà Tĩnh.",
        "Bên thuê: Công ty cổ phần Thép Kỳ Anh, mã số doanh nghiệp 3001234567.",
        "Diện tích đất thuê: 12.500 mét vuông tại khu kinh tế Vũng Áng.",
        "Thời hạn thuê đất: năm mươi năm kể từ ngày ký hợp đồng.",
        "Tiền thuê đất nộp hằng năm theo thông báo của cơ quan thuế.",
    ],
]


def _cpu() -> float:
    """CPU seconds of this process and of its children that ended (OCRmyPDF's worker processes and, through them,
    every Tesseract run): what the work cost, whatever else the machine was doing."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median": statistics.median(samples) * 1000,
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000,
        "mean": statistics.fmean(samples) * 1000,
    }


def _setup_django(database_url: str) -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def _scans(files: int, pages: int) -> list[bytes]:
    from motcua.digitisation.tests.scans import as_pdf, text_page

    out = []
    for f in range(files):
        out.append(as_pdf([text_page(TEXTS[(f + p) % len(TEXTS)]) for p in range(pages)]))
    return out


def _ocrmypdf_alone(data: bytes, jobs: int | None) -> None:
    import ocrmypdf
    from django.conf import settings

    with tempfile.TemporaryDirectory(prefix="motcua-bench-ocr-") as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        source.write_bytes(data)
        ocrmypdf.ocr(
            source,
            target,
            language=settings.DIGITISATION_OCR_LANGUAGES.split("+"),
            output_type="pdfa-2",
            pdfa_backend="internal",
            mode=settings.DIGITISATION_OCR_MODE,
            jobs=jobs,
            progress_bar=False,
        )


def throughput(args, out) -> None:
    import logging

    from motcua.digitisation.ocr import run_ocr
    from motcua.documents import signing
    from motcua.documents.testpki import create_test_pki

    for name in ("ocrmypdf", "fontTools"):  # a dozen INFO lines per file
        logging.getLogger(name).setLevel(logging.WARNING)
    jobs = args.jobs or None
    scans = _scans(args.files, args.pages)
    with tempfile.TemporaryDirectory(prefix="motcua-bench-pki-") as folder:
        ca = create_test_pki(Path(folder))
        seal = signing.load_signer(ca.issue("Ban Quản lý Khu kinh tế tỉnh", passphrase="seal-pass"), passphrase=b"seal-pass")
        options = signing.SignOptions(
            kind=signing.SignerKind.ATTACHMENT,
            signer_name="Ban Quản lý Khu kinh tế tỉnh",
            agency_name="Ban Quản lý Khu kinh tế tỉnh",
            extra_line="Sao từ bản chính",
            reason="Chứng thực bản sao điện tử từ bản chính giấy tờ tiếp nhận",
            field_name="CoQuan_SaoY",
        )
        _ocrmypdf_alone(scans[0], jobs)  # warm-up: imports, Tesseract's model in the page cache
        alone, ocr_only, pipeline, flagged = [], [], [], 0
        for round_no in range(args.rounds):
            for i, data in enumerate(scans):
                order = ("alone", "pipeline") if (round_no + i) % 2 == 0 else ("pipeline", "alone")
                for which in order:
                    start, cpu = time.perf_counter(), _cpu()
                    if which == "alone":
                        _ocrmypdf_alone(data, jobs)
                        alone.append((time.perf_counter() - start, _cpu() - cpu))
                    else:
                        outcome = run_ocr(data, jobs=jobs)
                        ocr_only.append((time.perf_counter() - start, _cpu() - cpu))
                        signing.sign_pdf_bytes(outcome.pdf, signer=seal, options=options)
                        pipeline.append((time.perf_counter() - start, _cpu() - cpu))
                        flagged += len(outcome.flagged)
    pages = args.files * args.pages * args.rounds
    out(
        f"OCR: {args.files} files x {args.pages} pages x {args.rounds} rounds = {pages} pages each way, jobs={jobs or 'all CPUs'}"
    )
    for name, runs in (("OCRmyPDF alone", alone), ("pipeline OCR", ocr_only), ("pipeline + seal", pipeline)):
        wall, cpu = sum(r[0] for r in runs), sum(r[1] for r in runs)
        out(
            f"  {name:16s}: wall {wall:7.1f} s = {pages / wall * 60:5.1f} pages/min; "
            f"CPU {cpu:7.1f} s = {pages / cpu * 60:5.1f} pages per CPU-minute"
        )
    for name, runs in (("pipeline OCR", ocr_only), ("pipeline + seal", pipeline)):
        for i, label in ((1, "CPU"), (0, "wall")):
            ratios = sorted(p[i] / a[i] for p, a in zip(runs, alone, strict=True))
            total = sum(p[i] for p in runs) / sum(a[i] for a in alone)
            out(
                f"  ratio {name}/alone ({label:4s}): total {total:.3f}, per file median {statistics.median(ratios):.3f} "
                f"(min {ratios[0]:.3f}, max {ratios[-1]:.3f}); goal <= 1.2"
            )
    out(f"  pages flagged by the pipeline: {flagged} (text pages only: expected 0)")


def _background(args) -> subprocess.Popen:
    """A process OCR-ing scans without pause, at `nice` (a stand-in for the OCR worker)."""
    code = (
        f"import sys, os; sys.path.insert(0, {str(ROOT)!r}); os.environ['DATABASE_URL']='sqlite://:memory:'; "
        "os.environ.setdefault('DEBUG','1'); os.environ.setdefault('DJANGO_SETTINGS_MODULE','motcua.settings'); "
        "import django; django.setup(); import logging; logging.getLogger('ocrmypdf').setLevel(logging.WARNING); "
        "from motcua.digitisation.tests.scans import as_pdf, text_page; from motcua.digitisation.ocr import run_ocr; "
        "data = as_pdf([text_page(), text_page()]); "
        "print('ready', flush=True)\n"
        f"while True: run_ocr(data, jobs={args.jobs or None!r})\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: OCRmyPDF's workers and Tesseract end with it
        text=True,
        preexec_fn=lambda: os.nice(args.nice),
    )
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(3)  # OCRmyPDF and Tesseract running
    return proc


def intake(args, out) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from motcua.digitisation.models import OcrJob
    from motcua.digitisation.tests.scans import as_pdf, text_page
    from motcua.dossiers.tests.factories import World, receive

    call_command("migrate", verbosity=0)
    world = World()
    component = world.version.components.order_by("order").first()
    scan = as_pdf([text_page(TEXTS[0]), text_page(TEXTS[1])])

    def one() -> tuple[float, float]:
        upload = SimpleUploadedFile("giay-chung-nhan.pdf", scan)
        start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        receive(world, channel="counter", files=[{"file": upload, "component": component, "digitised": True}])
        end = resource.getrusage(resource.RUSAGE_SELF)
        return time.perf_counter() - start, (end.ru_utime + end.ru_stime) - (cpu.ru_utime + cpu.ru_stime)

    for _ in range(5):
        one()  # warm-up
    phases = {}
    phases["idle"] = [one() for _ in range(args.intakes)]
    proc = _background(args)
    try:
        phases[f"OCR running (nice {args.nice})"] = [one() for _ in range(args.intakes)]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the group this script started, nothing else
        proc.wait()
    phases["idle again"] = [one() for _ in range(args.intakes)]
    out(
        f"Intake at the counter with one 2-page scan marked digitised, {args.intakes} each ({len(scan) // 1024} KiB); "
        f"background OCR at nice {args.nice}, jobs={args.jobs or 'all CPUs'}:"
    )
    for name, samples in phases.items():
        wall, cpu = _stats([w for w, _c in samples]), _stats([c for _w, c in samples])
        out(
            f"  {name:24s} wall median {wall['median']:6.1f} ms  p95 {wall['p95']:6.1f} ms;  "
            f"CPU of the intake median {cpu['median']:6.1f} ms  p95 {cpu['p95']:6.1f} ms"
        )
    out(f"  OCR jobs written by the intakes: {OcrJob.objects.count()} (the worker finds the files later)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--intakes", type=int, default=30)
    parser.add_argument("--nice", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=0, help="pages OCR'd at once (0: every CPU, OCRmyPDF's default)")
    parser.add_argument("--skip-intake", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="motcua-bench-ocr-db-")
    os.environ.setdefault("MEDIA_ROOT", tmp)
    _setup_django(os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3")
    from importlib.metadata import version

    lines: list[str] = []

    def out(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    out(f"bench/ocr_throughput.py {date.today():%d/%m/%Y}  commit {_commit()}")
    out(f"{platform.platform()}  {os.cpu_count()} CPUs  load average at start {os.getloadavg()}")
    out(f"ocrmypdf {version('ocrmypdf')}  {tesseract}  pikepdf {version('pikepdf')}  pyhanko {version('pyhanko')}")
    started = time.time()
    if not args.skip_throughput:
        throughput(args, out)
    if not args.skip_intake:
        intake(args, out)
    out(f"load average at end {os.getloadavg()}, {time.time() - started:.0f} s")
    if not args.no_write:
        path = ROOT / "bench" / "results" / f"ocr-{date.today():%Y-%m-%d}.txt"
        with path.open("a", encoding="utf-8") as handle:  # the day's runs, one after the other
            handle.write("\n".join(lines) + "\n\n")
        print(f"written {path.relative_to(ROOT)}")
    return 0


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
