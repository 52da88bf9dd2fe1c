from django_tasks import task

from . import notifications


@task()
def notify_application_submitted(application_id: int) -> None:
    notifications.application_submitted(application_id)


@task()
def notify_application_decided(application_id: int) -> None:
    notifications.application_decided(application_id)
