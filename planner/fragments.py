"""The week's pages, rendered by Jinja2: This week (the dashboard), a week of the history, and htmx's answer
to a change on a card.

"This week" is the page people open most, and right after each change it is rendered afresh (the kept copy,
planner/page_cache.py, no longer holds). Its cards and bars repeat per session and per measure, where Django's
template engine spent most of the page's time; Jinja2 compiles a template to Python once and renders it
several times faster. The layout is the one every page has: templates/base.html is read by both engines
(config/jinja2.py), so these pages look and work as the others do. The templates live in
planner/jinja2/planner/ and are found through the "jinja2" engine in settings.TEMPLATES; they autoescape as
Django's do.
"""

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines


def render(template_name: str, context: dict, request) -> str:
    """The Jinja2 template planner/jinja2/<template_name> rendered with `context`, the request and its CSRF
    token (`csrf_token`, for {% csrf_token %}). Raises TemplateDoesNotExist."""
    # One masked CSRF token for every form: Django's Jinja2 backend would mask a new one for each form,
    # which costs more than the rest of a card.
    context = {**context, "request": request, "csrf_token": get_token(request)}
    return engines["jinja2"].get_template(template_name).render(context)


def render_page(request, template_name: str, context: dict) -> HttpResponse:
    """A whole page: the template (which extends base.html) rendered with `context` and what the layout reads
    on every page, as Django's context processors give it to Django's templates (settings.TEMPLATES): the
    request, its CSRF token, `user` and `messages`."""
    context = {**context, "user": request.user, "messages": get_messages(request)}
    return HttpResponse(render(template_name, context, request))
