from django_tasks import task

from . import services


@task()
def make_rendering(rendering_id: int) -> None:
    services.make_rendering(rendering_id)
