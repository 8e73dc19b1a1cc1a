"""Dating a pregnancy: gestational age from LMP, EDD or an earlier ultrasound (Naegele: EDD = LMP + 280 days).

Dates are used only to compute the gestational age; they are never stored in a case.
"""

from __future__ import annotations

from datetime import date, timedelta

from .case import RANGES

PREGNANCY_DAYS = 280
MIN_DAYS = int(RANGES["weeks"][0]) * 7
MAX_DAYS = int(RANGES["weeks"][1]) * 7 + 6


class DatingError(ValueError):
    """A dating input that gives a gestational age outside the allowed range; names the field."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


def _checked(days: int, field: str) -> int:
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise DatingError(field, f"gives a gestational age of {days // 7}+{days % 7}, outside 4+0 to 42+6 "
                                 f"({'in the future' if days < 0 else 'check the date'})")
    return days


def ga_from_lmp(lmp: date, today: date) -> int:
    """Gestational age in days from the first day of the last menstrual period."""
    return _checked((today - lmp).days, "last_menstrual_period")


def ga_from_edd(edd: date, today: date) -> int:
    """Gestational age in days from the estimated due date."""
    return _checked(PREGNANCY_DAYS - (edd - today).days, "estimated_due_date")


def ga_from_scan(scan: date, ga_at_scan_days: int, today: date) -> int:
    """Gestational age in days from an earlier ultrasound (its date and the GA it gave)."""
    if scan > today:
        raise DatingError("scan_date", "must not be after today's date")
    return _checked(ga_at_scan_days + (today - scan).days, "scan_date")


def edd_from_ga(ga_days: int, today: date) -> date:
    """Estimated due date for a gestational age (in days) on ``today``."""
    return today + timedelta(days=PREGNANCY_DAYS - ga_days)
