from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("cchc/recommendations", api.RecommendationViewSet, basename="cchc-recommendation")
router.register("cchc/tasks", api.TaskViewSet, basename="cchc-task")
router.register("cchc/legal-drafts", api.LegalDraftViewSet, basename="cchc-legal-draft")

urlpatterns = router.urls
