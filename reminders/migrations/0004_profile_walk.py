# Where the 15-minute walk that gives reminders to profiles made without them (bulk_create sends no signal)
# has got to, so that it reads only the profiles made since (reminders/dispatch.py,
# schedule_missing_reminders). It starts at 0: the first runs after this migration look at every profile once,
# 20,000 a run.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0003_delivery_once_per_moment_and_unconfirmed"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProfileWalk",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("after_profile_id", models.BigIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
    ]
