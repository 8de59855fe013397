"""A person's data: everything Steady holds about them, to take away or to delete for good.

The sessions and check-ins are also offered as CSV files, by the apps that own them (planner, wellbeing),
through csv_text() and data_views.csv_response().

"Everything" is whatever deleting the user would delete: the user row and every row that cascades from it
(profile, email addresses, plans and their sessions, check-ins, reminders and deliveries, allauth rows), found
by Django's own deletion collector, so a model added later is exported and deleted without changes here. Login
sessions are found through the records made when the person logged in (accounts/sessions.py).
"""

import csv
import io
import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from accounts import sessions
from accounts.models import normalize_email

# Never exported: a one-way hash is of no use to the person, and a risk if the file goes astray.
# Secrets, not information about the person: a session key or a push subscription's address and keys would let
# whoever holds the file act as the person's browser.
NOT_EXPORTED = {
    "accounts.user": {"password"},
    "accounts.loginsession": {"session_key"},
    "reminders.pushsubscription": {"endpoint", "p256dh", "auth"},
}


class _EveryRowCollector(Collector):
    def can_fast_delete(self, *args, **kwargs):
        # Fast deletes skip loading rows; the export needs every row in .data.
        return False


def rows_of(user) -> dict:
    """{model: [instances]} for the user and every row that deleting the user would delete."""
    collector = _EveryRowCollector(using=router.db_for_write(type(user)))
    collector.collect([user])
    return {model: sorted(instances, key=lambda row: row.pk) for model, instances in collector.data.items()}


def export(user, now=None) -> dict:
    tables = {}
    for model, instances in sorted(rows_of(user).items(), key=lambda item: item[0]._meta.label_lower):
        label = model._meta.label_lower
        hidden = NOT_EXPORTED.get(label, set())
        rows = []
        for row in serializers.serialize("python", instances):
            rows.append({"id": row["pk"], **{k: v for k, v in row["fields"].items() if k not in hidden}})
        tables[label] = rows
    return {
        "about": (
            "Everything Steady holds about you, one table per kind of record. "
            "Your password is not included: Steady only keeps a one-way hash of it."
        ),
        "exported_at": now or timezone.now(),
        "email": user.email,
        "tables": tables,
    }


def export_json(user) -> str:
    return json.dumps(export(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _cell(value):
    # A text cell starting with one of these runs as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def csv_text(header: list[str], rows) -> str:
    """A CSV file's text: the header row, then each row, with spreadsheet formulas defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def confirms_deletion(user, typed: str) -> bool:
    """The person re-typed their email address (in any case, either spelling of its domain)."""
    typed = (typed or "").strip()
    return bool(typed) and normalize_email(typed).lower() == user.email.lower()


def delete_everything(user) -> None:
    """Delete the person and every row of their data, and end their login sessions on every device.

    Reminders and deliveries cascade with the user, so no further email is sent: the dispatcher only sends
    for rows that exist.
    """
    with transaction.atomic():
        sessions.end_login_sessions(user)
        user.delete()
