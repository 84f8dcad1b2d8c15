"""After the result is returned, the applicant rates the dossier once from the lookup page
(overall rating and the nine criteria 0–2), through the feedback app's rating service."""

from django.urls import reverse

from motcua.dossiers.transitions import dossier_accept, dossier_decide, dossier_return_result
from motcua.feedback.models import CRITERIA, SatisfactionRating

from .conftest import online_dossier, open_lookup


def _answers(**override):
    data = {"overall": "hai_long", "comment": "Cán bộ hướng dẫn tận tình", **{name: "2" for name, _ in CRITERIA}}
    data.update(override)
    return data


def test_rating_is_offered_only_after_return_and_only_once(client, world, media):
    dossier = online_dossier(world)
    open_lookup(client, dossier)
    url = reverse("portal:rating", args=[dossier.code])
    detail = reverse("portal:lookup-detail", args=[dossier.code])
    assert url not in client.get(detail).content.decode()
    assert client.post(url, _answers()).status_code == 302
    assert not SatisfactionRating.objects.exists()  # not returned yet

    dossier_accept(dossier=dossier, actor=world.officer)
    dossier_decide(dossier=dossier, actor=world.leader, outcome="approved", note="Đồng ý điều chỉnh")
    dossier_return_result(dossier=dossier, actor=world.officer, delivery="online")
    assert url in client.get(detail).content.decode()
    page = client.get(url).content.decode()
    for _, label in CRITERIA:
        assert label in page
    assert "Rất hài lòng" in page and "Không hài lòng" in page

    assert client.post(url, _answers(staff_attitude="1")).status_code == 302
    rating = SatisfactionRating.objects.get(dossier=dossier)
    assert rating.overall == "hai_long" and rating.staff_attitude == 1 and rating.total == 17

    again = client.post(url, _answers(overall="khong_hai_long"), follow=True)
    assert "chỉ đánh giá một lần" in again.content.decode()
    assert SatisfactionRating.objects.get(dossier=dossier).overall == "hai_long"
    assert url not in client.get(detail).content.decode()


def test_incomplete_rating_keeps_the_choices_and_names_what_is_missing(client, world, media):
    dossier = online_dossier(world)
    dossier_accept(dossier=dossier, actor=world.officer)
    dossier_decide(dossier=dossier, actor=world.leader, outcome="approved")
    dossier_return_result(dossier=dossier, actor=world.officer, delivery="online")
    open_lookup(client, dossier)
    data = _answers()
    del data["online_quality"]
    response = client.post(reverse("portal:rating", args=[dossier.code]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chất lượng dịch vụ công trực tuyến" in html and "chọn điểm từ 0 đến 2" in html
    assert 'id="total_time-2" name="total_time" value="2" checked' in html
    assert not SatisfactionRating.objects.exists()
