"""Small read-only serializers for the editorial pages' API fields."""

from rest_framework import serializers

# The catalogue's own serializers: one shape for a thématique or a structure everywhere in the API.
from catalogue.models.pages import StructureSerializer as StructureResumeSerializer  # noqa: F401
from catalogue.models.pages import ThematiqueSerializer as ThematiqueResumeSerializer  # noqa: F401


class PageResumeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class CollectiviteResumeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    nom = serializers.CharField()
    type = serializers.CharField()


class DocumentResumeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    file_extension = serializers.CharField()
