"""Finding every row that belongs to a person, independently of the app's own code."""

from django.apps import apps

from accounts.models import User


def rows_linked_to(user) -> dict:
    """{model label: set of pks} for every row that refers to the user, directly or through other such rows.

    Independent of the app's own code: it walks every model's foreign keys and one-to-one fields until nothing
    new turns up.
    """
    found = {User: {user.pk}}
    models = apps.get_models(include_auto_created=True)
    grew = True
    while grew:
        grew = False
        for model in models:
            for field in model._meta.get_fields():
                if not (field.concrete and (field.many_to_one or field.one_to_one)):
                    continue
                targets = found.get(field.related_model)
                if not targets:
                    continue
                pks = set(
                    model._base_manager.filter(**{f"{field.name}__in": targets}).values_list("pk", flat=True)
                )
                if not pks <= found.get(model, set()):
                    found[model] = found.get(model, set()) | pks
                    grew = True
    return {model._meta.label_lower: pks for model, pks in found.items() if pks}
