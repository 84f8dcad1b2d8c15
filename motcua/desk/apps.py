from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "motcua.desk"
    label = "desk"
    verbose_name = "Bộ phận một cửa: phiếu, danh sách việc, sổ theo dõi, thống kê"
