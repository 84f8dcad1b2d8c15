"""Seed the Decision 766/QĐ-TTg (23/6/2022) weights: the five groups' maxima (18, 20, 22, 22, 18) and the
thresholds of docs/domain.md (online procedures 80 %, online dossiers 50 %). The split of a group's points
among its indicators is not confirmed against the decision's annex (docs/index766.md): an administrator
corrects it in the admin by entering a new version, without touching the code."""

from datetime import date
from decimal import Decimal

from django.db import migrations

VERSION = {
    "name": "Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)",
    "decision": "Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ",
    "valid_from": date(2022, 6, 23),
    "note": "Tỷ trọng chỉ số thành phần: cần đối chiếu với phụ lục của Quyết định (chưa xác nhận).",
}

# (group, max, [(indicator, max, threshold %)])
GROUPS = [
    ("transparency", 18, [("procedures_published", 6, 100), ("progress_public", 6, 100), ("pakn_answers_published", 6, 100)]),
    ("timeliness", 20, [("dossiers_on_time", 14, 100), ("open_within_deadline", 6, 100)]),
    ("online", 22, [("procedures_online", 6, 80), ("dossiers_online", 8, 50), ("online_payment", 8, 100)]),
    ("digitisation", 22, [("dossiers_digitised", 8, 100), ("results_electronic", 8, 100), ("data_reused", 6, 100)]),
    ("satisfaction", 18, [("pakn_on_time", 8, 100), ("ratings_satisfied", 10, 100)]),
]


def seed(apps, schema_editor):
    IndexVersion = apps.get_model("reports", "IndexVersion")
    IndexGroup = apps.get_model("reports", "IndexGroup")
    IndexIndicator = apps.get_model("reports", "IndexIndicator")
    version, created = IndexVersion.objects.get_or_create(valid_from=VERSION["valid_from"], defaults=VERSION)
    if not created:
        return
    for order, (code, points, indicators) in enumerate(GROUPS, start=1):
        group = IndexGroup.objects.create(version=version, code=code, order=order, max_points=Decimal(points))
        for i, (indicator, ind_points, threshold) in enumerate(indicators, start=1):
            IndexIndicator.objects.create(
                group=group, code=indicator, order=i, max_points=Decimal(ind_points), threshold_percent=Decimal(threshold)
            )


def unseed(apps, schema_editor):
    apps.get_model("reports", "IndexVersion").objects.filter(valid_from=VERSION["valid_from"]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_index766_weights")]

    operations = [migrations.RunPython(seed, unseed)]
