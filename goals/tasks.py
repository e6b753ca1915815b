from celery import shared_task

from . import services


@shared_task
def goal_versions_publish_due() -> int:
    """Publish adopted versions whose effective date has come. Idempotent: safe to run twice."""
    return services.goal_versions_publish_due()
