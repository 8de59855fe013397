# Each kind of reminder can also come as a push notification. Off for everyone to begin with: a push needs a
# device the person turned it on for, and everyone's email choices stay as they were.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_normalize_email_domains"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="push_weekly_plan",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="push_session_reminders",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="push_checkins",
            field=models.BooleanField(default=False),
        ),
    ]
