# Addresses stored before domains were normalised (accounts.models.normalize_email) take the one spelling
# browsers send: "anna@bücher.example" becomes "anna@xn--bcher-kva.example". An address whose normal
# spelling another account already has is left as it is: two accounts cannot be merged by a migration.

from django.db import migrations

from accounts.models import normalize_email


def normalise(apps, schema_editor):
    user_model = apps.get_model("accounts", "User")
    address_model = apps.get_model("account", "EmailAddress")
    for model in (user_model, address_model):
        for row in model.objects.exclude(email__regex=r"^[ -~]*$").iterator():
            spelling = normalize_email(row.email)
            if spelling != row.email and not model.objects.filter(email__iexact=spelling).exists():
                model.objects.filter(pk=row.pk).update(email=spelling)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_submitkey"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
