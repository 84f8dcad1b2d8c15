"""Agencies form the province's hierarchy (province → departments/boards/districts → communes): an
agency's descendants are found level by level, the tree lists each agency under its parent, an agency
cannot be its own parent, and the name printed above an agency's own falls back to its parent's."""

import pytest
from django.db import IntegrityError, transaction

from motcua.core.models import Agency, AgencyLevel
from motcua.core.selectors import agency_descendant_ids, agency_tree

pytestmark = pytest.mark.django_db


def _agency(name, short, code, parent=None, level=AgencyLevel.DEPARTMENT):
    return Agency.objects.create(name=name, short_name=short, code=code, parent=parent, level=level)


@pytest.fixture
def province():
    p = _agency("Ủy ban nhân dân tỉnh Hà Tĩnh", "UBND", "H15", level=AgencyLevel.PROVINCE)
    board = _agency("Ban Quản lý Khu kinh tế tỉnh", "BQL", "H15.50", p)
    dept = _agency("Sở Tài chính", "STC", "H15.12", p)
    commune = _agency("Ủy ban nhân dân xã Thạch Hà", "UBNDX", "H15.12.01", dept, AgencyLevel.COMMUNE)
    other = _agency("Ủy ban nhân dân tỉnh khác", "UBNDK", "H99")
    return p, board, dept, commune, other


def test_descendants_roll_up_every_level(province):
    p, board, dept, commune, other = province
    assert agency_descendant_ids(p) == {p.pk, board.pk, dept.pk, commune.pk}
    assert agency_descendant_ids(dept) == {dept.pk, commune.pk}
    assert agency_descendant_ids(commune.pk) == {commune.pk}
    assert agency_descendant_ids(other) == {other.pk}


def test_the_tree_lists_each_agency_under_its_parent(province):
    p, board, dept, commune, other = province
    tree = [(a.short_name, depth) for a, depth in agency_tree()]
    assert tree.index(("UBND", 0)) < tree.index(("BQL", 1))
    assert tree.index(("STC", 1)) == tree.index(("UBNDX", 2)) - 1
    assert ("UBNDK", 0) in tree and len(tree) == 5


def test_an_agency_cannot_be_its_own_parent(province):
    p = province[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.filter(pk=p.pk).update(parent=p.pk)
    p.refresh_from_db()
    assert p.parent_id is None


def test_the_superior_name_falls_back_to_the_parent(province):
    p, board, *_ = province
    assert board.superior_name == "Ủy ban nhân dân tỉnh Hà Tĩnh"
    board.parent_name = "UBND TỈNH HÀ TĨNH"
    assert board.superior_name == "UBND TỈNH HÀ TĨNH"
    assert p.superior_name == ""
