import importlib

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.core import demo as core_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa (idempotent): Ban QLKKT tỉnh, đơn vị, một tài khoản mỗi vai trò, rồi dữ liệu của từng phân hệ."

    def add_arguments(self, parser):
        parser.add_argument("--skip", nargs="*", default=[], help="Bỏ qua phân hệ (ví dụ: dossiers documents)")

    def handle(self, *args, skip, **options):
        agency = core_demo.seed()
        self.stdout.write(f"Cơ quan: {agency} ({agency.code})")
        # Each app may provide `demo.py` with `seed(agency, stdout)`; order follows INSTALLED_APPS,
        # which lists apps after the ones they build on.
        for app in settings.INSTALLED_APPS:
            if not app.startswith("motcua.") or app == "motcua.core" or app.split(".")[-1] in skip:
                continue
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.seed(agency=agency, stdout=self.stdout)
        self.stdout.write("Tài khoản minh họa (tên đăng nhập / mật khẩu / vai trò):")
        for username, password, roles in core_demo.logins():
            self.stdout.write(f"  {username} / {password} / {roles}")
        self.stdout.write(
            "Xác thực hai lớp (lãnh đạo, quản trị): sau mật khẩu nhập mã 6 chữ số của ứng dụng xác thực "
            "với khóa bí mật dưới đây, hoặc mã do `python manage.py demo_totp TÊN` in ra:"
        )
        for username, secret in core_demo.two_factor_secrets():
            self.stdout.write(f"  {username}: {secret}")
