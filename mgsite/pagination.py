from rest_framework.pagination import PageNumberPagination as _PageNumberPagination


class PageNumberPagination(_PageNumberPagination):
    """`page` and `page_size` (at most 100), as the API contract says."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
