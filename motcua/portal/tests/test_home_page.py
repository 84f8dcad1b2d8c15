"""The public home page: agency, search box to the catalog, the three public services."""

from django.urls import reverse


def test_home_shows_agency_search_and_public_services(client, world):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert world.agency.name in html
    assert 'action="/thu-tuc/"' in html and 'name="q"' in html and 'for="home-q"' in html
    assert reverse("portal:online-index") in html
    assert reverse("portal:lookup") in html
    assert "Phản ánh, kiến nghị" in html
    assert world.agency.phone in html
    assert 'name="viewport"' in html
    assert "<script>" not in html and 'style="' not in html  # CSP: no inline script or style


def test_online_index_lists_only_procedures_accepting_online_submission(client, world):
    html = client.get(reverse("portal:online-index")).content.decode()
    assert reverse("portal:submit", args=[world.code]) in html
    world.version.channel_online = False
    world.version.save()
    html = client.get(reverse("portal:online-index")).content.decode()
    assert reverse("portal:submit", args=[world.code]) not in html
