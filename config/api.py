"""The one Wagtail API v2 router of the project, mounted at /api/v2/."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from catalogue.api import CataloguePagesAPIViewSet, StructuresAPIViewSet, ThematiquesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
# Pages with the catalogue's ?thematique= and ?structure= filters for fiches.
api_router.register_endpoint("pages", CataloguePagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("thematiques", ThematiquesAPIViewSet)
api_router.register_endpoint("structures", StructuresAPIViewSet)
