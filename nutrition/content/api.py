"""`GET /api/v1/articles/` and `/api/v1/articles/{slug}/`: published articles, for everyone."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from mgsite.text import clean_query
from nutrition.content import selectors
from nutrition.content.models import Article, Category, Reference

DISCLAIMER = (
    "General information, not medical advice. Talk to your doctor or dietitian before "
    "changing your diet or starting a supplement, especially if you have kidney disease or "
    "take medicines."
)


class ArticleCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]


class ArticleReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reference
        fields = ["title", "publisher", "url", "note"]


class ArticleTocEntrySerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    level = serializers.IntegerField()
    children = serializers.ListField(child=serializers.DictField())


class ArticleFoodLinkSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["food", "category"])
    label = serializers.CharField()
    url = serializers.CharField()


class ArticleSummarySerializer(serializers.ModelSerializer):
    category = ArticleCategorySerializer(read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "summary",
            "category",
            "tags",
            "published_at",
            "updated_at",
            "reading_time_minutes",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj: Article) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ArticleDetailSerializer(ArticleSummarySerializer):
    author = serializers.CharField(source="author_name", read_only=True)
    toc = ArticleTocEntrySerializer(many=True, read_only=True)
    food_links = ArticleFoodLinkSerializer(many=True, read_only=True)
    references = ArticleReferenceSerializer(many=True, read_only=True)
    disclaimer = serializers.SerializerMethodField()

    class Meta(ArticleSummarySerializer.Meta):
        fields = [
            *ArticleSummarySerializer.Meta.fields,
            "author",
            "body",
            "body_html",
            "toc",
            "food_links",
            "references",
            "disclaimer",
        ]
        read_only_fields = fields

    def get_disclaimer(self, obj: Article) -> str:
        return DISCLAIMER


@extend_schema_view(
    list=extend_schema(
        summary="Published articles, newest first",
        parameters=[
            OpenApiParameter("search", str, description="Words in the title, summary or body"),
            OpenApiParameter("category", str, description="Category slug"),
            OpenApiParameter("tag", str, description="Tag slug"),
        ],
    ),
    retrieve=extend_schema(summary="One published article, with its Markdown and safe HTML"),
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    refuses_parameters = False  # the search parameters are cleaned and cut, never refused
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self) -> QuerySet[Article]:
        if self.action != "list":
            return selectors.published_articles_api()
        params = self.request.query_params
        return selectors.article_list(
            query=clean_query(params.get("search"), 100).strip(),
            category_slug=clean_query(params.get("category"), 100).strip(),
            tag_slug=clean_query(params.get("tag"), 60).strip(),
        )

    def get_serializer_class(self):
        return ArticleSummarySerializer if self.action == "list" else ArticleDetailSerializer
