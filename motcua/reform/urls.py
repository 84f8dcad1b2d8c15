from django.urls import path

from . import views

app_name = "reform"

urlpatterns = [
    path("cchc/", views.index, name="index"),
    path("cchc/nhiem-vu/", views.tasks, name="tasks"),
    path("cchc/nhiem-vu/<int:pk>/", views.task_detail, name="task-detail"),
    path("cchc/the-che/", views.drafts, name="drafts"),
    path("cchc/the-che/<int:pk>/chuyen-giai-doan/", views.draft_advance, name="draft-advance"),
    path("cchc/to-chuc-bien-che/", views.staffing, name="staffing"),
    path("cchc/kiem-tra/", views.inspections, name="inspections"),
    path("cchc/kiem-tra/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("cchc/kiem-tra/<int:pk>/bien-ban.<str:fmt>", views.inspection_minutes, name="inspection-minutes"),
    path("cchc/kien-nghi/", views.recommendations, name="recommendations"),
    path("cchc/kien-nghi/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("cchc/tu-danh-gia/", views.self_assessment, name="self-assessment"),
]

urlpatterns += [
    path("cchc/tao/<slug:kind>/", views.create, name="create"),
    path("cchc/kiem-tra/<int:pk>/them/<slug:kind>/", views.inspection_add, name="inspection-add"),
]
