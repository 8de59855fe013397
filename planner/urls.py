import datetime

from django.urls import path, register_converter

from planner import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as e:
            raise ValueError(value) from e

    def to_url(self, value):
        return value.isoformat()


class TokenConverter:
    """A calendar feed's secret: URL-safe base64 (calendar.new_token()); anything else is no token (404)."""

    regex = r"[A-Za-z0-9_-]{1,100}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IsoDateConverter, "isodate")
register_converter(TokenConverter, "token")

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("sessions/new/", views.log_session, name="log_session"),
    path("sessions/<int:pk>/", views.session_page, name="session_page"),
    path("sessions/<int:pk>/done/", views.session_done, name="session_done"),
    path("sessions/<int:pk>/undo/", views.session_undo, name="session_undo"),
    path("sessions/<int:pk>/details/", views.session_details, name="session_details"),
    path("sessions/<int:pk>/skip/", views.session_skip, name="session_skip"),
    path("sessions/<int:pk>/swap/", views.session_swap, name="session_swap"),
    path("sessions/<int:pk>/move/", views.session_move, name="session_move"),
    path("history/", views.history, name="history"),
    path("history/<isodate:week_start>/", views.week_detail, name="week_detail"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/week.ics", views.calendar_download, name="calendar_download"),
    path("calendar/feed/<token:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("your-data/sessions.csv", views.export_sessions_csv, name="data_export_sessions"),
    path("moves/", views.moves_index, name="moves"),
    path("moves/<slug:move_id>/", views.move_detail, name="move_detail"),
]
