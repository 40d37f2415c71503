"""Food search: one function over the database's own full-text machinery.

Interface used across the project:
    search_foods(query, *, user=None, limit=20) -> list[Food]
        Foods matching `query`, best match first: public foods plus `user`'s own private foods.
    refresh_index() -> None
        Called by the importer after a load; brings the search index up to date.
"""
