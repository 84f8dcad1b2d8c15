from django.apps import AppConfig


class DigitisationConfig(AppConfig):
    name = "motcua.digitisation"
    label = "digitisation"
    verbose_name = "Số hoá hồ sơ"
