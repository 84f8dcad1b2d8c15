"""The index's weights and thresholds are data: a new version entered for later periods scores those periods
and leaves the earlier ones as they were; an administrator edits them in the admin, where a group's indicators
must add up to its maximum, and every change is audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.core.models import AuditLog, User
from motcua.dossiers.tests.factories import World, aware, receive
from motcua.dossiers.transitions import dossier_decide
from motcua.reports.index766.engine import compute
from motcua.reports.index766.models import IndexGroup, IndexIndicator, IndexVersion
from motcua.reports.index766.periods import parse_period

from .index766_data import NOW, ensure_weights

pytestmark = pytest.mark.django_db


def on_time(agency, period):
    result = compute(agency=agency, period=parse_period(period), now=NOW)
    return next(i for g in result["groups"] for i in g["indicators"] if i["code"] == "dossiers_on_time"), result


def test_a_new_version_scores_the_periods_from_its_date_only():
    ensure_weights()
    world = World(committed="5")
    for month in (3, 5):  # one dossier finished early in March, one in May: full points for either weight
        d = receive(world, at=aware(2026, month, 4, 9))
        dossier_decide(dossier=d, actor=world.leader, outcome="approved", at=aware(2026, month, 4, 10))
    old = IndexVersion.objects.get()
    new = IndexVersion.objects.create(name="Sửa đổi (giả định)", decision="Quyết định giả định", valid_from=date(2026, 4, 1))
    for group in old.groups.all():
        g = IndexGroup.objects.create(version=new, code=group.code, order=group.order, max_points=group.max_points)
        for ind in group.indicators.all():
            points = {"dossiers_on_time": Decimal(10), "open_within_deadline": Decimal(10)}.get(ind.code, ind.max_points)
            IndexIndicator.objects.create(
                group=g, code=ind.code, order=ind.order, max_points=points, threshold_percent=ind.threshold_percent
            )
    march, march_result = on_time(world.agency, "2026-03")
    may, may_result = on_time(world.agency, "2026-05")
    assert (march["maximum"], march["score"]) == (14.0, 14.0) and march_result["version"]["valid_from"] == "23/06/2022"
    assert (may["maximum"], may["score"]) == (10.0, 10.0) and may_result["version"]["valid_from"] == "01/04/2026"


def test_the_admin_keeps_a_group_whole_and_audits_each_change(client):
    ensure_weights()
    client.force_login(User.objects.create_superuser("root766", "root@example.vn", "pw-root-12345"))
    group = IndexGroup.objects.get(code="timeliness")
    url = reverse("admin:reports_indexgroup_change", args=[group.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:reports_indexversion_change", args=[group.version_id])).status_code == 200
    indicators = list(group.indicators.order_by("order"))

    def post(points):
        data = {
            "version": group.version_id,
            "order": group.order,
            "code": group.code,
            "max_points": "20",
            "indicators-TOTAL_FORMS": str(len(indicators)),
            "indicators-INITIAL_FORMS": str(len(indicators)),
            "indicators-MIN_NUM_FORMS": "0",
            "indicators-MAX_NUM_FORMS": "1000",
        }
        for n, (ind, p) in enumerate(zip(indicators, points, strict=True)):
            data |= {
                f"indicators-{n}-id": ind.pk,
                f"indicators-{n}-group": group.pk,
                f"indicators-{n}-order": ind.order,
                f"indicators-{n}-code": ind.code,
                f"indicators-{n}-max_points": p,
                f"indicators-{n}-threshold_percent": "100",
            }
        return client.post(url, data)

    refused = post(["15", "6"])  # 21 ≠ 20
    assert refused.status_code == 200 and "phải bằng điểm tối đa của nhóm" in refused.content.decode()
    assert IndexIndicator.objects.get(pk=indicators[0].pk).max_points == Decimal(14)
    saved = post(["12", "8"])
    assert saved.status_code == 302
    assert [i.max_points for i in group.indicators.order_by("order")] == [Decimal(12), Decimal(8)]
    assert AuditLog.objects.filter(action="index766.weights_change").count() >= 3  # the group and its two indicators


def test_the_admin_copies_a_version_to_start_a_new_one(client):
    ensure_weights()
    client.force_login(User.objects.create_superuser("root767", "root@example.vn", "pw-root-12345"))
    old = IndexVersion.objects.get()
    response = client.post(
        reverse("admin:reports_indexversion_changelist"), {"action": "copy_version", "_selected_action": [old.pk]}
    )
    assert response.status_code == 302
    new = IndexVersion.objects.exclude(pk=old.pk).get()
    assert new.valid_from == date(2022, 6, 24)

    def weights(v):
        return sorted(
            IndexIndicator.objects.filter(group__version=v).values_list("group__code", "code", "max_points", "threshold_percent")
        )

    assert weights(new) == weights(old) and len(weights(new)) == 13
    assert AuditLog.objects.filter(action="index766.weights_copy").count() == 1
