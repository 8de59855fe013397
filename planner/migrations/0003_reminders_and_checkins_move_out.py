# Reminder and Delivery now belong to the reminders app, CheckIn to the wellbeing app (their 0001 migrations
# take them over). The tables stay where they are: this only drops the models from the planner's state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("planner", "0002_plan_planned_from_provisional"),
        ("reminders", "0001_initial"),
        ("wellbeing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Reminder"),
                migrations.DeleteModel(name="Delivery"),
                migrations.DeleteModel(name="CheckIn"),
            ],
            database_operations=[],
        ),
    ]
