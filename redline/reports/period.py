"""The closed period a report covers: whole UTC days from `start` to `end`, both included.

Store and ledger times are ISO-8601 strings in UTC with microseconds, so they compare as text with
`lower` (the first instant of `start`) and `upper` (the first instant after `end`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone


class ReportError(ValueError):
    """A request that cannot be reported: `argument` names the option or field at fault."""

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        self.message = message
        super().__init__(f"{argument}: {message}")


def _instant(day: date) -> str:
    return datetime.combine(day, time(0), tzinfo=timezone.utc).isoformat(timespec="microseconds")


def today_utc() -> date:
    return datetime.now(timezone.utc).date()


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def lower(self) -> str:
        return _instant(self.start)

    @property
    def upper(self) -> str:
        return _instant(self.end + timedelta(days=1))

    def holds(self, moment: str | None) -> bool:
        """Whether an ISO time (or a bare YYYY-MM-DD date) falls in the period."""
        if not moment:
            return False
        if len(moment) == 10:
            return self.start.isoformat() <= moment <= self.end.isoformat()
        return self.lower <= moment < self.upper

    @property
    def ends_today(self) -> bool:
        return self.end >= today_utc()

    def to_dict(self) -> dict[str, object]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "days": (self.end - self.start).days + 1,
                "from_utc": self.lower, "until_utc": self.upper, "closed": not self.ends_today}


def _date(value: date | str | None, argument: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or not str(value).strip():
        raise ReportError(argument, "is required (a date, YYYY-MM-DD): a report covers a closed period")
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReportError(argument, f"{value!r} is not a date (YYYY-MM-DD)") from None


def period(start: date | str | None, end: date | str | None, *, names: tuple[str, str] = ("from", "to"),
           today: date | None = None) -> Period:
    """Check a requested period: both ends given, in order, and not reaching into the future."""
    first, last = _date(start, names[0]), _date(end, names[1])
    if last < first:
        raise ReportError(names[1], f"{last} is before {names[0]} {first}")
    now = today or today_utc()
    if last > now:
        raise ReportError(names[1], f"{last} is in the future (today is {now} UTC): a report covers a closed period")
    return Period(first, last)
