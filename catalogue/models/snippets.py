from django.db import models
from django.utils.text import slugify
from wagtail.search import index


class Thematique(index.Indexed, models.Model):
    """A family of fiches in the catalogue (the guide's "Thème")."""

    nom = models.CharField("nom", max_length=150, unique=True)
    slug = models.SlugField("identifiant", max_length=150, unique=True, blank=True)
    description = models.TextField("description", blank=True)
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=100)
    icone = models.CharField("icône", max_length=50, blank=True, help_text="Nom d'une icône du site (facultatif).")

    search_fields = [index.SearchField("nom"), index.AutocompleteField("nom")]

    class Meta:
        verbose_name = "thématique"
        verbose_name_plural = "thématiques"
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.nom)[:150]
        super().save(*args, **kwargs)
