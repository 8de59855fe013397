from django.apps import AppConfig


class PwaConfig(AppConfig):
    name = "pwa"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from pwa import clear_site_data

        # Every log-out (allauth's log-out, account deletion) clears what the browser kept of the site.
        user_logged_out.connect(clear_site_data.logged_out, dispatch_uid="pwa-clear-site-data")
