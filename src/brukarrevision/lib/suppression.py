"""The suppression threshold: groups with fewer respondents are never shown outside the
team. Which groups a release hides, and why that holds over time and across audits, is
decided in `lib.releasing` (see docs/suppression.md).
"""

from django.conf import settings

LOWEST_ALLOWED = 3


def threshold() -> int:
    """The configured threshold (SUPPRESSION_THRESHOLD, default 5), never below 3."""
    return max(LOWEST_ALLOWED, int(getattr(settings, "SUPPRESSION_THRESHOLD", 5)))
