"""Long work of the food database, run by a background job."""

from celery import shared_task

from nutrition.foods import imports


@shared_task(
    name="nutrition.foods.tasks.food_import",
    # A worker killed mid-load gives the job back; the load is all or nothing, so it starts over.
    acks_late=True,
    reject_on_worker_lost=True,
)
def food_import(run_id: int) -> str:
    """Load an uploaded FoodData Central download (a `FoodImportRun`); returns its status."""
    run = imports.food_import_run(run_id=run_id)
    return run.status if run is not None else "skipped"
