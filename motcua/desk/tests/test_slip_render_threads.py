"""Slips rendered at the same time in several threads (a threaded web server), starting from a fresh
process state (fonts not yet registered), come out byte-identical to a slip rendered alone: the
Vietnamese-capable fonts are settled before any document is built, and ReportLab's shared font state
is never mixed between documents."""

import threading

import pytest

from motcua.core.pdf import reset_fonts_for_tests
from motcua.desk import slips
from motcua.desk.selectors.slips import dossier_for_slips
from motcua.dossiers.tests.factories import World, aware, receive
from motcua.dossiers.transitions import dossier_forward

pytestmark = pytest.mark.django_db


def test_parallel_renders_are_identical():
    w = World()
    d = receive(w, at=aware(2026, 4, 27, 9))
    dossier_forward(dossier=d, actor=w.officer, to_user=w.specialist, at=aware(2026, 4, 27, 10))
    d = dossier_for_slips(pk=d.pk)
    reference = None
    for _round in range(4):
        reset_fonts_for_tests()
        outputs, barrier = [], threading.Barrier(8)

        def work(kind, outputs=outputs, barrier=barrier):
            barrier.wait()
            outputs.append((kind, slips.RENDERERS[kind](d)))

        threads = [threading.Thread(target=work, args=(kind,)) for kind in ("bm01", "bm05") * 4]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(outputs) == 8
        if reference is None:
            reference = {kind: render(d) for kind, render in slips.RENDERERS.items() if kind in ("bm01", "bm05")}
        assert all(content == reference[kind] for kind, content in outputs)
