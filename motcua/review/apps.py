from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "motcua.review"
    label = "review"
    verbose_name = "Rà soát, đơn giản hoá thủ tục hành chính"

    def ready(self):
        from motcua.reform import panels

        from .panels import dashboard_section

        panels.register("review", dashboard_section)
