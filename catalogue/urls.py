from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("catalogue/guide.pdf", views.guide_pdf, name="guide_pdf"),
    path("catalogue/suggestions/", views.suggestions, name="suggestions"),
]
