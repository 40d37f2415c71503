"""Imports in the JSON API: a person brings a diary over from another tracker.

- `POST /api/v1/me/imports/` (multipart: `file`, optional `format`) reads the file and answers
  its preview (201); nothing is added to the diary yet.
- `GET /api/v1/me/imports/` lists the person's imports (pages); `GET …/{id}/` one, with its
  preview's figures; `GET …/{id}/rows/` its rows (pages), each with the foods offered for it.
- `PATCH …/{id}/rows/{row_id}/` changes a food row of a preview: `food` matches every row of
  the same name to that food (null: to none, so they are left out), `grams` gives the row's
  weight (null: back to what the file or the food's portions say).
- `POST …/{id}/commit/` adds it all at once; `DELETE …/{id}/` undoes a committed import
  (removing exactly what it added) or discards a preview.

Every query starts from the signed-in person: another person's import is a 404.
"""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mgsite.api_schema import limits
from mgsite.converters import database_id
from nutrition import amounts
from nutrition.diary.models import MAX_ENTRY_GRAMS, Meal
from nutrition.transfer import selectors, services
from nutrition.transfer.models import (
    FORMAT_CHOICES,
    MAX_FILE_BYTES,
    Import,
    ImportRow,
    Kind,
    Status,
    WeightFrom,
)

NUMBER: dict[str, Any] = {"max_digits": None, "decimal_places": None, "coerce_to_string": False}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class ImportSerializer(serializers.ModelSerializer):
    rows = serializers.IntegerField(source="rows_read", help_text="Data lines read from the file.")
    format_label = serializers.CharField(read_only=True)
    rows_matched = serializers.IntegerField(
        help_text="Rows worked through (matched) so far, of `rows`: the progress of a big file "
        "while its status is `reading`."
    )
    percent_read = serializers.IntegerField(
        help_text="How far the reading is: 0-99 while `reading`, else 100."
    )
    error = serializers.CharField(
        help_text="Why the file could not be read, naming the line, when the status is "
        "`failed` (nothing was kept from it); else empty."
    )

    class Meta:
        model = Import
        fields = [
            "id",
            "format",
            "format_label",
            "file_name",
            "status",
            "rows",
            "rows_matched",
            "percent_read",
            "error",
            "food_rows",
            "lab_rows",
            "skipped_rows",
            "entries_added",
            "results_added",
            "notes",
            "created_at",
            "committed_at",
            "undone_at",
        ]
        read_only_fields = fields


class UnmatchedSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The food's name as the file writes it.")
    rows = serializers.IntegerField()
    first_line = serializers.IntegerField()


class ImportPreviewSerializer(ImportSerializer):
    """An import with what it adds: the days and their magnesium, the names not matched."""

    days = serializers.IntegerField(help_text="Days the import adds to.")
    magnesium_mg_by_day = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Each day's magnesium from this file's foods (YYYY-MM-DD → mg), as the diary "
        "will show it: the file's own figure where it has a magnesium column, else estimated "
        "from the matched food.",
    )
    unmatched = UnmatchedSerializer(
        many=True,
        help_text="Food names no food was matched to (at most 200, first seen first); their "
        "rows are left out unless matched.",
    )
    unmatched_names = serializers.IntegerField()
    ready = serializers.IntegerField(help_text="Food rows that become diary entries.")
    from_file = serializers.IntegerField(
        help_text="Of those, the ones that keep the file's own magnesium figure."
    )
    estimated = serializers.IntegerField(
        help_text="Of those, the ones whose magnesium is estimated from the matched food."
    )
    without_weight = serializers.IntegerField(
        help_text="Matched rows left out because no weight is known (give one per row)."
    )
    already_imported = serializers.IntegerField(
        allow_null=True,
        help_text="The id of the committed import of this same file, when there is one: "
        "importing it again adds nothing (committing this one is refused).",
    )

    class Meta(ImportSerializer.Meta):
        fields = [
            *ImportSerializer.Meta.fields,
            "days",
            "magnesium_mg_by_day",
            "unmatched",
            "unmatched_names",
            "ready",
            "from_file",
            "estimated",
            "without_weight",
            "already_imported",
        ]
        read_only_fields = fields

    def to_representation(self, batch: Import) -> dict[str, Any]:
        data = dict(ImportSerializer(batch).data)  # the preview's own fields follow
        summary: selectors.PreviewSummary = self.context["summary"]
        data.update(
            days=summary.days,
            magnesium_mg_by_day={
                day.isoformat(): float(mg) for day, mg in summary.magnesium_mg_by_day.items()
            },
            unmatched=[
                {"name": u.name, "rows": u.rows, "first_line": u.first_line}
                for u in summary.unmatched
            ],
            unmatched_names=summary.unmatched_names,
            ready=summary.ready,
            from_file=summary.from_file,
            estimated=summary.estimated,
            without_weight=summary.without_weight,
            already_imported=summary.already_imported.pk if summary.already_imported else None,
        )
        return data


class FoodBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ImportRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    line = serializers.IntegerField(help_text="The file's line (the header is line 1).")
    day = serializers.DateField(allow_null=True)
    kind = serializers.ChoiceField(choices=Kind.choices)
    reason = serializers.CharField(help_text="Why it is skipped or left out; else empty.")
    group = serializers.CharField(help_text="The meal or group as the file writes it.")
    meal = serializers.ChoiceField(choices=[*Meal.choices, ("", "None")])
    name = serializers.CharField()
    amount_text = serializers.CharField()
    grams = serializers.FloatField(allow_null=True, help_text="The weight the entry will have.")
    weight_from = serializers.ChoiceField(choices=[*WeightFrom.choices, ("", "None")])
    file_magnesium_mg = serializers.FloatField(
        allow_null=True, help_text="The file's own figure, kept exactly."
    )
    magnesium_mg = serializers.FloatField(
        allow_null=True, help_text="What the entry will carry, as the diary shows it (0.1 mg)."
    )
    estimated = serializers.BooleanField(
        help_text="The magnesium is estimated from the matched food (the file has none)."
    )
    food = FoodBriefSerializer(allow_null=True, help_text="The food matched by name.")
    candidates = FoodBriefSerializer(many=True, help_text="The search's best foods for the name.")
    metric = serializers.CharField()
    analyte = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    entry = serializers.IntegerField(allow_null=True, help_text="The diary entry it added.")
    lab_result = serializers.IntegerField(allow_null=True, help_text="The lab result it added.")


def row_payload(row: ImportRow, names: dict[int, str]) -> dict[str, Any]:
    food = row.food
    return {
        "id": row.pk,
        "line": row.line,
        "day": row.day,
        "kind": row.kind,
        "reason": row.reason,
        "group": row.group,
        "meal": row.meal,
        "name": row.name,
        "amount_text": row.amount_text,
        "grams": _number(row.grams),
        "weight_from": row.weight_from,
        "file_magnesium_mg": _number(row.file_magnesium_mg),
        "magnesium_mg": _number(
            amounts.shown(row.magnesium_exact(food.magnesium_mg_per_100g if food else None))
        )
        if row.kind == Kind.FOOD
        else None,
        "estimated": row.estimated,
        "food": {"id": food.pk, "name": food.name} if food else None,
        "candidates": [{"id": pk, "name": names[pk]} for pk in row.candidates if pk in names],
        "metric": row.metric,
        "analyte": row.analyte,
        "value": _number(row.value),
        "unit": row.unit,
        "entry": row.entry_id,
        "lab_result": row.lab_result_id,
    }


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The tracker's CSV export, UTF-8 (with or without a byte-order mark), at "
        f"most {MAX_FILE_BYTES // (1024 * 1024)} MB and 100,000 rows."
    )
    format = serializers.ChoiceField(
        choices=FORMAT_CHOICES,
        required=False,
        help_text="Which export it is; detected from the header when left out.",
    )


class RowChangeSerializer(serializers.Serializer):
    food = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The food every row of this name is matched to (null: none, so they are left "
        "out); one of the foods you can see.",
    )
    grams = limits(
        serializers.DecimalField(
            required=False,
            allow_null=True,
            help_text="This row's weight, kept to 0.01 g (null: back to what the file or the "
            "food's portions say).",
            **NUMBER,
        ),
        minimum=0,
        exclusiveMinimum=True,
        maximum=MAX_ENTRY_GRAMS,
    )


KIND_PARAMETER = OpenApiParameter(
    "kind",
    str,
    enum=[*Kind.values, "unmatched"],
    description="Only the rows of this kind, or the food rows left out (no match or no weight).",
)
ALREADY = OpenApiResponse(
    description="Not a preview (committed or undone already), the same file is in the diary "
    "already, or a row the diary refuses (named `line N`); nothing was saved."
)


def _batch(request: Request, pk: Any) -> Import:
    key = database_id(pk)
    try:
        if key is None:
            raise Import.DoesNotExist
        return selectors.import_for(owner=request.user, pk=key)
    except Import.DoesNotExist:
        raise NotFound from None


def _preview(batch: Import, owner: Any) -> dict[str, Any]:
    summary = selectors.preview_summary(owner=owner, batch=batch)
    return ImportPreviewSerializer(batch, context={"summary": summary}).data


class ImportListView(GenericAPIView):
    """Your imports, newest first; a new one from a file."""

    serializer_class = ImportSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Import.objects.none()
        return selectors.imports_for(owner=self.request.user)

    @extend_schema(responses={200: ImportSerializer(many=True)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ImportSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            201: ImportPreviewSerializer,
            202: OpenApiResponse(
                ImportSerializer,
                description="A big file (over 512 KB or 2,000 data lines): its header was "
                "checked and it is read by a background job. The import's status is "
                "`reading` (or already `preview`, or `failed` naming the line, when the job "
                "ran at once); follow it at `GET /api/v1/me/imports/{id}/`.",
            ),
            400: OpenApiResponse(
                description="No file, a file over 20 MB, not UTF-8 text, a header of no "
                "export this site reads, or a malformed row (`file` names the line); nothing "
                "was saved."
            ),
            413: OpenApiResponse(
                description="The body is far larger than any file taken (20 MB): refused "
                "before it is read."
            ),
        },
        description="Read a file and answer its preview (201); nothing is added to the diary "
        "yet. A big file is read in the background (202): its import is `reading`, with its "
        "progress, until it is a `preview` or `failed`. At most 30 files an hour (more is a "
        "429).",
    )
    def post(self, request: Request) -> Response:
        # A body far larger than any file was refused before anything read it (413,
        # mgsite.middleware.BodySizeMiddleware); the file itself is checked here.
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        if file.size > MAX_FILE_BYTES:
            return Response({"file": [services.TOO_BIG]}, status=status.HTTP_400_BAD_REQUEST)
        batch = services.import_upload(
            owner=request.user,
            content=file.read(MAX_FILE_BYTES + 1),
            file_name=file.name or "",
            format=upload.validated_data.get("format"),
        )
        if batch.status == Status.PREVIEW:
            return Response(_preview(batch, request.user), status=status.HTTP_201_CREATED)
        # Kept for the background job, which may have run already (in-process, no broker).
        batch = _batch(request, batch.pk)
        return Response(ImportSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailView(GenericAPIView):
    """One of your imports with its preview's figures; DELETE undoes it."""

    serializer_class = ImportPreviewSerializer

    @extend_schema(responses={200: ImportPreviewSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_preview(_batch(request, pk), request.user))

    @extend_schema(
        responses={204: None},
        description="Undo a committed import: removes exactly the entries and lab results it "
        "added (those still there) and marks it undone. A preview is discarded; undoing "
        "again changes nothing.",
    )
    def delete(self, request: Request, pk: int) -> Response:
        batch = _batch(request, pk)
        services.import_undo(owner=request.user, batch_id=batch.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImportCommitView(GenericAPIView):
    serializer_class = ImportPreviewSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=None,
        responses={200: ImportPreviewSerializer, 400: ALREADY},
        description="Add the preview to the diary and the health record at once (one "
        "transaction, every diary rule applied: a day holds at most 200 entries). Rows "
        "without a food or a weight are left out. The same file adds once.",
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = _batch(request, pk)
        batch = services.import_commit(owner=request.user, batch_id=batch.pk)
        return Response(_preview(batch, request.user))


class ImportRowListView(GenericAPIView):
    serializer_class = ImportRowSerializer

    def get_queryset(self):
        return ImportRow.objects.none()

    @extend_schema(parameters=[KIND_PARAMETER], responses={200: ImportRowSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        batch = _batch(request, pk)
        kind = request.query_params.get("kind")
        if kind is not None and kind not in [*Kind.values, "unmatched"]:
            raise serializers.ValidationError(
                {"kind": [f"Choose one of: {', '.join(Kind.values)}, unmatched."]}
            )
        if kind == "unmatched":
            rows = selectors.unmatched_rows(owner=request.user, batch=batch)
        else:
            rows = selectors.rows_for(owner=request.user, batch=batch, kind=kind)
        page = self.paginate_queryset(rows)
        names = selectors.candidate_foods(page)
        return self.get_paginated_response([row_payload(row, names) for row in page])


class ImportRowView(GenericAPIView):
    serializer_class = ImportRowSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=RowChangeSerializer,
        responses={200: ImportRowSerializer, 400: ALREADY},
        description="Change a food row of a preview: `food` matches every row of the same "
        "name; `grams` sets this row's weight.",
    )
    def patch(self, request: Request, pk: int, row_id: int) -> Response:
        batch = _batch(request, pk)
        change = RowChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        given = {k: v for k, v in change.validated_data.items() if k in ("food", "grams")}
        try:
            row = services.import_row_update(
                owner=request.user,
                batch_id=batch.pk,
                row_id=row_id,
                **({"food_id": given["food"]} if "food" in given else {}),
                **({"grams": given["grams"]} if "grams" in given else {}),
            )
        except ImportRow.DoesNotExist:
            raise NotFound from None
        row = selectors.rows_for(owner=request.user, batch=batch).get(pk=row.pk)
        return Response(row_payload(row, selectors.candidate_foods([row])))
