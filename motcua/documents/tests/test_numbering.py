"""Numbers run from 1 on 1 January per register; secret documents have their own sequence; outgoing
symbols follow Decree 30."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.core.errors import ValidationFailed
from motcua.core.testing import pdf_bytes
from motcua.documents import services
from motcua.documents.models import Confidentiality, IncomingDocument

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def receive(clerk, register, types, when, **extra):
    return services.incoming_register(
        actor=clerk,
        register=register,
        sender="UBND tỉnh",
        doc_type=types["CV"],
        summary="V/v báo cáo",
        received_at=when,
        is_electronic=False,
        **extra,
    )


@pytest.mark.django_db
def test_incoming_numbers_restart_on_first_of_january(clerk, registers, types):
    numbers = [receive(clerk, registers["in"], types, datetime(2021, 12, d, 9, tzinfo=VN)).number for d in (29, 30, 31)]
    assert numbers == [1, 2, 3]
    # 00:30 on 1 January local time is still 31 December in UTC: the local year counts.
    first = receive(clerk, registers["in"], types, datetime(2022, 1, 1, 0, 30, tzinfo=VN))
    second = receive(clerk, registers["in"], types, datetime(2022, 1, 3, 8, tzinfo=VN))
    assert (first.year, first.number) == (2022, 1)
    assert (second.year, second.number) == (2022, 2)


@pytest.mark.django_db
def test_secret_documents_have_their_own_sequence(clerk, registers, types):
    when = datetime(2021, 3, 1, 9, tzinfo=VN)
    a = receive(clerk, registers["in"], types, when)
    s1 = receive(clerk, registers["in_secret"], types, when, confidentiality=Confidentiality.CONFIDENTIAL)
    b = receive(clerk, registers["in"], types, when)
    s2 = receive(clerk, registers["in_secret"], types, when, confidentiality=Confidentiality.SECRET)
    assert [a.number, b.number] == [1, 2]
    assert [s1.number, s2.number] == [1, 2]


@pytest.mark.django_db
def test_secret_document_refused_in_ordinary_register_and_vice_versa(clerk, registers, types):
    when = datetime(2021, 3, 1, 9, tzinfo=VN)
    with pytest.raises(ValidationFailed):
        receive(clerk, registers["in"], types, when, confidentiality=Confidentiality.CONFIDENTIAL)
    with pytest.raises(ValidationFailed):
        receive(clerk, registers["in_secret"], types, when)
    assert IncomingDocument.objects.count() == 0


def _issue(clerk, leader, specialist, register, doc_type, unit, issued, confidentiality=Confidentiality.NORMAL):
    doc = services.outgoing_create_draft(
        actor=specialist,
        register=register,
        doc_type=doc_type,
        summary="Về việc thử",
        drafting_unit=unit,
        confidentiality=confidentiality,
        is_electronic=False,
        files=[("du-thao.pdf", pdf_bytes(1))],
    )
    services.outgoing_submit(actor=specialist, document=doc)
    services.outgoing_approve(actor=leader, document=doc, digital=False)
    return services.outgoing_number(actor=clerk, document=doc, issued_date=issued)


@pytest.mark.django_db
def test_outgoing_symbols_and_yearly_restart(clerk, leader, specialist, registers, types, units):
    d1 = _issue(clerk, leader, specialist, registers["out"], types["QD"], units["QLĐT"], date(2021, 12, 31))
    d2 = _issue(clerk, leader, specialist, registers["out"], types["CV"], units["QLĐT"], date(2021, 12, 31))
    d3 = _issue(clerk, leader, specialist, registers["out"], types["TTR"], units["VP"], date(2022, 1, 4))
    s1 = _issue(
        clerk,
        leader,
        specialist,
        registers["out_secret"],
        types["BC"],
        units["VP"],
        date(2021, 12, 31),
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    assert [d1.symbol, d2.symbol, d3.symbol] == ["01/QĐ-BQL", "02/BQL-QLĐT", "01/TTr-BQL"]
    assert s1.symbol == "01/BC-BQL" and s1.register.is_secret
