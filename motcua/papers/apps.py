from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "motcua.papers"
    label = "papers"
    verbose_name = "Kho dữ liệu của tổ chức, cá nhân"
