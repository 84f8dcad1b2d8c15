"""50 numberings at the same time, each thread on its own PostgreSQL connection: no duplicate, no gap."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from motcua.core.models import Agency
from motcua.core.testing import requires_postgres
from motcua.documents import services
from motcua.documents.models import DocumentType, IncomingDocument, RegisterCounter, RegisterKind

N = 50


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_numberings_without_duplicate_or_gap():
    agency = Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    register = services.register_create(actor=None, agency=agency, kind=RegisterKind.INCOMING, name="Sổ văn bản đến")
    doc_type = DocumentType.objects.get(code="CV")
    when = datetime(2021, 6, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    barrier = threading.Barrier(N)
    errors, backends = [], set()
    lock = threading.Lock()

    def worker(i):
        try:
            with connection.cursor() as cur:  # open this thread's own connection before the start line
                cur.execute("SELECT pg_backend_pid()")
                pid = cur.fetchone()[0]
            with lock:
                backends.add(pid)
            barrier.wait(timeout=60)
            services.incoming_register(actor=None, register=register, sender=f"Nơi gửi {i}", doc_type=doc_type,
                                       summary=f"Văn bản {i}", received_at=when, is_electronic=True)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(backends) == N  # really N connections at once
    numbers = sorted(IncomingDocument.objects.filter(register=register, year=2021).values_list("number", flat=True))
    assert numbers == list(range(1, N + 1))
    assert RegisterCounter.objects.get(register=register, year=2021).last_number == N
