"""Signing time per one-page PDF: the application's signing function (PAdES B-B with the Decree 30
visible box drawn by ReportLab) next to pyHanko signing the same file with no application code around it
(invisible PAdES B-B signature), in the same run, with the same key.

Usage:  .venv/bin/python bench/signing.py [--runs 30] [--warmup 3] [--no-write]

A throwaway PKI (root CA + one signer, RSA 2048) is generated in a temporary folder and deleted.
Writes bench/results/signing-<date>.txt unless --no-write.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "mean": statistics.fmean(samples) * 1000,
        "median": statistics.median(samples) * 1000,
        "p95": p95 * 1000,
        "min": ordered[0] * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from importlib.metadata import version

    from django.conf import settings

    # motcua.documents.signing reads its configuration from Django's settings; no timestamp server here.
    settings.configure(MOTCUA_TSA_URL="", MOTCUA_TRUST_CA_FILES="", TIME_ZONE="Asia/Ho_Chi_Minh")
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from motcua.documents import signing
    from motcua.documents.samples import one_page_pdf
    from motcua.documents.testpki import create_test_pki

    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="motcua-bench-pki-") as folder:
        pki = create_test_pki(folder)
        p12 = pki.issue("Lê Quang Hưng", passphrase="bench-only", filename="bench.p12")
        os.environ["MOTCUA_BENCH_P12_PASS"] = "bench-only"
        app_signer = signing.load_signer(p12, passphrase_env="MOTCUA_BENCH_P12_PASS")
        plain_signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"bench-only")
        roots = signing.load_certificates([pki.ca_pem])
        pdf = one_page_pdf()

        def app_sign() -> bytes:
            return signing.sign_pdf_bytes(
                pdf,
                signer=app_signer,
                options=signing.SignOptions(
                    agency_name="Ban Quản lý Khu kinh tế tỉnh", title="Phó Trưởng ban", reason="Ký ban hành", tsa_url=""
                ),
            )

        def plain_sign() -> bytes:
            writer = IncrementalPdfFileWriter(BytesIO(pdf))
            meta = signers.PdfSignatureMetadata(
                field_name="Signature1", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
            )
            return signers.sign_pdf(writer, meta, signer=plain_signer).getvalue()

        def verify(data: bytes) -> None:
            results = signing.verify_pdf_bytes(data, trust_roots=roots)
            assert len(results) == 1 and results[0].intact and results[0].valid and results[0].trusted, results

        cases = [
            ("application (motcua.documents.signing, visible box)", app_sign),
            ("pyHanko alone (invisible signature)", plain_sign),
        ]
        sizes = {}
        for name, fn in cases:
            out = fn()
            verify(out)
            sizes[name] = len(out)
            for _ in range(args.warmup):
                fn()
        samples = {name: [] for name, _ in cases}
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            for name, fn in cases:
                started = time.perf_counter()
                fn()
                samples[name].append(time.perf_counter() - started)
        verify_samples = []
        signed = app_sign()
        for _ in range(max(5, args.runs // 3)):
            started = time.perf_counter()
            verify(signed)
            verify_samples.append(time.perf_counter() - started)

    lines = [
        f"motcua signing benchmark — {date.today():%Y-%m-%d}",
        f"one-page A4 PDF ({len(pdf):,} bytes), RSA 2048 / SHA-256, PAdES B-B, "
        f"{args.runs} runs each (+{args.warmup} warm-up), interleaved",
        f"python {platform.python_version()}, pyHanko {version('pyHanko')}, {platform.machine()}, {os.cpu_count()} CPU, "
        f"load average at start {load[0]:.1f} (other processes share the CPUs)",
        "",
        f"{'case':<55} {'mean ms':>8} {'median':>8} {'p95':>8} {'min':>8} {'out bytes':>10}",
    ]
    for name, _ in cases:
        s = _stats(samples[name])
        lines.append(f"{name:<55} {s['mean']:8.1f} {s['median']:8.1f} {s['p95']:8.1f} {s['min']:8.1f} {sizes[name]:10,}")
    s = _stats(verify_samples)
    lines.append(
        f"{'verification of the application output (trust list)':<55} {s['mean']:8.1f} "
        f"{s['median']:8.1f} {s['p95']:8.1f} {s['min']:8.1f}"
    )
    app, plain = (statistics.median(samples[name]) for name, _ in cases)
    lines += ["", f"application overhead over pyHanko alone (median): {1000 * (app - plain):.1f} ms ({app / plain:.2f}×)"]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_write:
        out_dir = ROOT / "bench" / "results"
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"signing-{date.today():%Y-%m-%d}.txt"
        path.write_text(report, encoding="utf-8")
        print(f"written: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
