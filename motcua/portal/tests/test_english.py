"""The public pages are Vietnamese first and English when the visitor chooses it (Django i18n)."""

from django.urls import reverse


def test_home_in_vietnamese_then_english(client, world):
    assert "Tra cứu hồ sơ" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Track a dossier" in html and "Find an administrative procedure" in html
    assert "1 procedure accepts online submission" in html
    lookup = client.get(reverse("portal:lookup")).content.decode()
    assert "Look up" in lookup


def test_submission_form_labels_and_errors_in_english(client, world):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    url = reverse("portal:submit", args=[world.code])
    html = client.get(url).content.decode()
    assert "Personal ID number (12 digits on the ID card)" in html and "Save draft, continue later" in html
    response = client.post(url, {"action": "submit", "applicant_kind": "individual", "result_delivery": "counter"})
    assert "Please enter the personal ID number" in response.content.decode()
