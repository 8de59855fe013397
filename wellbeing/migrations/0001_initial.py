# CheckIn moved here from the planner app. Its table keeps its name (planner_checkin), so nothing happens in
# the database: this migration only takes the model over in Django's state, and the planner's 0003 gives it
# up. On a new database, planner's 0001 creates the table.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from steady.migration_helpers import move_content_types

ANSWER_VALIDATORS = [django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(5)]


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
                    name="CheckIn",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("cheerful", models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)),
                        ("calm", models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)),
                        ("active", models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)),
                        ("rested", models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)),
                        ("interested", models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)),
                        ("score", models.PositiveSmallIntegerField()),
                        ("previous_score", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("support_suggested", models.BooleanField(default=False)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="checkins", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "planner_checkin",
                        "verbose_name": "check-in",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            move_content_types("planner", "wellbeing", ["checkin"]),
            move_content_types("wellbeing", "planner", ["checkin"]),
        ),
    ]
