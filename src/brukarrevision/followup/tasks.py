from django_tasks import task

from . import services


@task()
def notify_followers(follower_ids: list[int], subject: str, body: str) -> None:
    services.notify_followers(follower_ids, subject, body)


@task()
def send_reminders() -> None:
    services.send_reminders()
