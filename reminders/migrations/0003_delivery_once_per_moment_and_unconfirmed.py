# A Delivery's unique key guards one moment (user, kind, channel, due_at), no longer one local date: "once a
# day" is now judged in the time zone the person is in when the next one is due (reminders/dispatch.py), so
# that a change of zone neither doubles nor drops a day. The new key is in place before the old one goes, so
# a reminder is never without its guard; rows recorded so far satisfy it (the dispatcher claims each
# moment once). A delivery can now be "unconfirmed" (11 characters): it may have gone out. The
# index on created_at serves the roll-over job's removal of rows older than 60 days.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_push_channel_and_subscriptions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("skipped", "Skipped"),
                    ("failed", "Failed"),
                    ("unconfirmed", "Unconfirmed"),
                ],
                default="queued",
                max_length=12,
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                fields=("user", "kind", "channel", "due_at"), name="one_delivery_per_kind_channel_moment"
            ),
        ),
        migrations.RemoveConstraint(
            model_name="delivery",
            name="one_delivery_per_kind_day_channel",
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["created_at"], name="delivery_created_at_idx"),
        ),
    ]
