"""Plausibility rules for what planners type: dates and amounts. Forms check them next to
the field; services check them again, so nothing else (commands, the admin, an API) can
store a budget of -5 kronor or a phase that starts in 1900."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

EARLIEST = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10
MAX_BUDGET = Decimal(100_000_000)


def latest(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def check_date(value: datetime.date) -> None:
    if value < EARLIEST:
        raise ValidationError(
            _("%(date)s is too early. Give a date from the year 2000 or later.")
            % {"date": formats.date_format(value, "DATE_FORMAT")},
            code="too_early",
        )
    if value > latest():
        raise ValidationError(
            _("%(date)s is more than %(years)s years ahead. Check the year.")
            % {"date": formats.date_format(value, "DATE_FORMAT"), "years": YEARS_AHEAD},
            code="too_late",
        )


def check_period(starts_on: datetime.date | None, due_on: datetime.date | None) -> None:
    """The phase cannot be done before it starts."""
    if starts_on and due_on and due_on < starts_on:
        raise ValidationError(
            _("The end date is before the start date (%(start)s). Choose the same day or later.")
            % {"start": formats.date_format(starts_on, "DATE_FORMAT")},
            code="end_before_start",
        )


def check_budget(value: Decimal | None) -> None:
    if value is None:
        return
    if value < 0:
        raise ValidationError(
            _("The budget cannot be negative. Write the amount in kronor, like 85000."),
            code="negative",
        )
    if value > MAX_BUDGET:
        raise ValidationError(
            _("The budget is more than 100 million kronor. Check the number of zeros."),
            code="too_large",
        )
