"""Small read-only serializers for the editorial pages' API fields."""

from rest_framework import serializers

# The catalogue's own thématique serializer: one shape for the thématique everywhere in the API.
from catalogue.models.pages import ThematiqueSerializer as ThematiqueResumeSerializer  # noqa: F401


class StructureResumeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nom = serializers.CharField()
    sigle = serializers.CharField()
    slug = serializers.CharField()


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
