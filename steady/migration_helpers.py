"""For migrations that move a model from one app to another while its table stays where it is."""


def move_content_types(from_app: str, to_app: str, models: list[str]):
    """A RunPython function that relabels the models' content types from from_app to to_app, so that their
    permissions (and admin log entries) follow them. Content types already under to_app are left alone."""

    def move(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in models:
            if not content_type.objects.using(db).filter(app_label=to_app, model=model).exists():
                content_type.objects.using(db).filter(app_label=from_app, model=model).update(
                    app_label=to_app
                )

    return move
