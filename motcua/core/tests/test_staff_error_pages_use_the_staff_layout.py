"""Error pages (404, 403, a service error) shown to a logged-in staff member use the staff layout with
the staff menu; a visitor who is not logged in gets the public layout."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, TestCase

from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff

STAFF_BRAND = "motcua — Cán bộ"


class StaffErrorPages(TestCase):
    @classmethod
    def setUpTestData(cls):
        agency = Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
        cls.officer = make_staff(
            "motcua",
            Role.ONE_STOP_OFFICER,
            unit=Unit.objects.create(agency=agency, name="Bộ phận Một cửa", short_name="MC", is_one_stop_desk=True),
        )

    def test_staff_404_and_403_use_the_staff_layout(self):
        self.client.force_login(self.officer)
        for url, status in (("/staff/khong-co-trang-nay/", 404), ("/cchc/", 403), ("/staff/van-ban/", 403)):
            response = self.client.get(url)
            assert response.status_code == status, url
            html = response.content.decode()
            assert STAFF_BRAND in html and 'class="staff"' in html, url
            assert "Đăng xuất" in html and self.officer.display_name in html, url
            assert "/mot-cua/viec/" in html, url  # the staff menu (the officer's worklist)

    def test_a_visitor_gets_the_public_layout(self):
        response = self.client.get("/khong-co-trang-nay/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "Không tìm thấy trang" in html and STAFF_BRAND not in html

    def test_a_server_error_keeps_the_staff_layout_for_staff(self):
        from motcua.core.request_guard import server_error

        def fail(user):
            request = RequestFactory().get("/staff/dossiers/")
            request.user, request.request_id = user, "req-1"
            try:
                raise RuntimeError("lỗi thử")
            except RuntimeError:
                return server_error(request)

        response = fail(self.officer)
        html = response.content.decode()
        assert response.status_code == 500 and STAFF_BRAND in html and "/mot-cua/viec/" in html and "req-1" in html
        response = fail(AnonymousUser())
        html = response.content.decode()
        assert response.status_code == 500 and STAFF_BRAND not in html and "req-1" in html
