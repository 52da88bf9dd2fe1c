"""Demo of retention: the published demo audit got its date when its report was published
(twelve months ahead); the 2025 psychiatry audit is near its date, so the warning shows."""

import datetime

from django.utils import timezone

from . import retention
from .models import Audit


def load_retention(demo: Audit, near: Audit, coordinator) -> None:
    demo.refresh_from_db()
    if demo.retention_until is None:  # published before retention dates were kept
        retention.set_on_publish(audit=demo, user=coordinator, published_at=timezone.now())
    retention.set_retention(
        user=coordinator,
        audit=near,
        until=timezone.localdate() + datetime.timedelta(days=20),
        reason="Rapporten lämnades till beställaren i fjol; svaren behövs inte längre.",
    )
