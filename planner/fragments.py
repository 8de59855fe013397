"""The week's busiest parts, rendered by Jinja2: the day-by-day cards and the progress bars.

The week page is the one people open most, and right after each tick-off it is rendered afresh. Its cards
and bars repeat per session and per measure, where Django's template engine spends most of the page's time;
Jinja2 compiles a template to Python once and renders these parts several times faster. The rest of every
page, the layout included, stays in Django's templates. The Jinja2 templates live in planner/jinja2/planner/
and are found through the "jinja2" engine in settings.TEMPLATES; they autoescape as Django's do.
"""

from django.template import engines
from django.template.backends.utils import csrf_input
from django.utils.safestring import SafeString, mark_safe


def render(template_name: str, context: dict, request) -> SafeString:
    """The Jinja2 template planner/jinja2/<template_name> rendered with `context`, as safe HTML for a Django
    template. `request` gives the forms their CSRF field (`csrf_input`). Raises TemplateDoesNotExist."""
    # One masked CSRF token for every form of the fragment: Django's Jinja2 backend would mask a new one for
    # each form, which costs more than the rest of a card.
    context = {**context, "request": request, "csrf_input": csrf_input(request)}
    html = engines["jinja2"].get_template(template_name).render(context)
    return mark_safe(html)  # noqa: S308 (Jinja2 escaped every value)


def week_parts(context: dict, request) -> dict:
    """{"progress_html", "week_html"}: the progress and the days of views.week_context()'s week."""
    return {
        "progress_html": render("planner/_progress.html", context, request),
        "week_html": render("planner/_week.html", context, request),
    }
