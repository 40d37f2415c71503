"""Editing articles: Markdown with a rendered preview, publish action and change history."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from nutrition.content import services
from nutrition.content.models import Article, Category, Reference, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ["position", "title", "publisher", "url", "note"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "status",
            "published_at",
            "author",
            "category",
            "tags",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100})}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        errors = services.article_body_errors(body)
        if errors:
            raise forms.ValidationError(errors)
        return body


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status", "category", "published_at", "updated_at"]
    list_filter = ["status", "category", "tags"]
    list_select_related = ["category"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["author"]
    filter_horizontal = ["tags"]
    inlines = [ReferenceInline]
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = [
        "preview_link",
        "rendered_preview",
        "reading_time_minutes",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "category", "tags"]}),
        (
            "Preview of the last saved version",
            {
                "fields": [
                    "preview_link",
                    "reading_time_minutes",
                    "rendered_preview",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {**super().get_changeform_initial_data(request), "author": request.user.pk}

    @admin.display(description="Page")
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return "Save the article to preview it."
        label = "View on the site" if obj.is_public else "Open the staff preview"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label
        )

    @admin.display(description="Rendered body")
    def rendered_preview(self, obj: Article) -> str:
        if not obj.pk:
            return "The rendered article appears here once saved."
        # body_html is the nh3-sanitised output of services.article_render, never raw input.
        return mark_safe(f'<div class="article-preview">{obj.body_html}</div>')

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        services.article_save(article=obj)

    @admin.action(description="Publish the selected articles now", permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = 0
        for article in queryset:
            if not article.is_public:
                # One save per article so each gets its history entry.
                services.article_publish(article=article)
                count += 1
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Move the selected articles back to draft", permissions=["change"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            services.article_unpublish(article=article)
            count += 1
        self.message_user(request, f"Moved {count} article(s) to draft.", messages.SUCCESS)
