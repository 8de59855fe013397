# Reminder and Delivery moved here from the planner app. Their tables keep their names (planner_reminder,
# planner_delivery), so nothing happens in the database: this migration only takes the models over in
# Django's state, and the planner's 0003 gives them up. On a new database, planner's 0001 creates the tables.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from steady.migration_helpers import move_content_types

KIND_CHOICES = [
    ("weekly_plan", "Weekly plan"),
    ("session_day", "Session-day reminder"),
    ("checkin", "Gentle check-in"),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("planner", "0002_plan_planned_from_provisional"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Reminder",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=KIND_CHOICES, max_length=16)),
                        ("next_due_at", models.DateTimeField()),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reminders", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "planner_reminder",
                        "indexes": [models.Index(fields=["next_due_at"], name="planner_rem_next_du_720150_idx")],
                        "constraints": [models.UniqueConstraint(fields=("user", "kind"), name="one_reminder_per_user_and_kind")],
                    },
                ),
                migrations.CreateModel(
                    name="Delivery",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=KIND_CHOICES, max_length=16)),
                        ("local_date", models.DateField()),
                        ("due_at", models.DateTimeField()),
                        ("status", models.CharField(choices=[("queued", "Queued"), ("sending", "Sending"), ("sent", "Sent"), ("skipped", "Skipped"), ("failed", "Failed")], default="queued", max_length=10)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("enqueue_again_at", models.DateTimeField()),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("note", models.CharField(blank=True, max_length=200)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="email_deliveries", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "planner_delivery",
                        "verbose_name_plural": "deliveries",
                        "indexes": [models.Index(fields=["status", "enqueue_again_at"], name="planner_del_status_84da18_idx")],
                        "constraints": [models.UniqueConstraint(fields=("user", "kind", "local_date"), name="one_email_per_kind_and_local_day")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            move_content_types("planner", "reminders", ["reminder", "delivery"]),
            move_content_types("reminders", "planner", ["reminder", "delivery"]),
        ),
    ]
