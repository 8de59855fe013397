# Reminders can also go out as push notifications. A Delivery gets its channel, and the channel joins its
# unique key: every row recorded so far was an email. The new key is in place before the old one goes, so a
# reminder is never without its guard. PushSubscription holds the devices people turn push on for.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="channel",
            field=models.CharField(
                choices=[("email", "Email"), ("push", "Push notification")], default="email", max_length=8
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="pushed_to",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                fields=("user", "kind", "local_date", "channel"), name="one_delivery_per_kind_day_channel"
            ),
        ),
        migrations.RemoveConstraint(
            model_name="delivery",
            name="one_email_per_kind_and_local_day",
        ),
        migrations.CreateModel(
            name="PushSubscription",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("endpoint", models.URLField(max_length=2048, unique=True)),
                ("p256dh", models.CharField(max_length=100)),
                ("auth", models.CharField(max_length=50)),
                ("user_agent", models.CharField(blank=True, max_length=300)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_success_at", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="push_subscriptions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
