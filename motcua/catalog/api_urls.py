from rest_framework.routers import SimpleRouter

from .api import DecisionViewSet, ProcedureViewSet

router = SimpleRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("catalog/decisions", DecisionViewSet, basename="catalog-decision")

urlpatterns = router.urls
