"""The week most tests live in (see the fixtures in conftest.py): Monday 23 to Sunday 29 November 2026."""

import datetime

MONDAY = datetime.date(2026, 11, 23)
WEDNESDAY = datetime.date(2026, 11, 25)
WEDNESDAY_NOON = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
