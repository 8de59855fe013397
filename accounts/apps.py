from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from accounts import sessions

        user_logged_in.connect(sessions.remember_login, dispatch_uid="accounts-remember-login")
        user_logged_out.connect(sessions.forget_login, dispatch_uid="accounts-forget-login")
