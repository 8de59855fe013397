"""The "jinja2" template engine's environment (settings.TEMPLATES): the week's pages (planner/fragments.py),
and the reminder emails (reminders/emails.py, through an overlay of it).

The week's pages share their layout with every other page: templates/base.html, with _nav_user.html and
_htmx.html, is one set of files that both engines read, Django's for the other pages and Jinja2 for these.
So Jinja2 here understands the Django tags the shared files use, with the output Django gives:

- {% load ... %}: nothing (Jinja2 needs no library loaded);
- {% static 'path' %}: the static file's URL, as django.templatetags.static.static();
- {% url 'name' arg ... %}: reverse(name, args=[arg, ...]), positional arguments only;
- {% csrf_token %}: the form's hidden CSRF field, from the context's csrf_token (none without one).

Files read by both engines keep to what both understand: those tags, {% block %}, {% include %}, {% if %}
with ==, `not`, `and`, `or`, {% elif %}, {% for %}, {{ name.attribute }} without filters, and {# #} comments
on one line. The week's pages render with the same names a Django page has in its context (request, user,
messages, csrf_token: planner/fragments.render_page()).

A template of the planner's that needs something an app above it shows calls it as a function here, which
renders that app's own template tag: {{ offline_banner("week") }} (pwa), {{ checkin_prompt() }} (wellbeing).
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from jinja2 import Environment, nodes, pass_context
from jinja2.ext import Extension
from markupsafe import Markup, escape


def environment(**options) -> Environment:
    """settings.TEMPLATES' "jinja2" engine: Jinja2 with DjangoTags and the apps' functions."""
    env = Environment(autoescape=options.pop("autoescape", True), extensions=[DjangoTags], **options)
    env.globals.update(offline_banner=offline_banner, checkin_prompt=checkin_prompt)
    return env


class DjangoTags(Extension):
    """{% load %}, {% static %}, {% url %} and {% csrf_token %} as in Django's templates (see above)."""

    tags = {"load", "static", "url", "csrf_token"}

    def parse(self, parser):
        tag = next(parser.stream)
        if tag.value == "load":
            while parser.stream.current.type != "block_end":
                next(parser.stream)
            return []
        if tag.value == "csrf_token":
            call = self.call_method("_csrf_field", [nodes.ContextReference()])
        else:
            arguments = []
            while parser.stream.current.type != "block_end":
                if parser.stream.current.type == "string":
                    # One argument a string: Jinja2 would join {% url 'name' 'arg' %} into 'namearg'.
                    arguments.append(nodes.Const(next(parser.stream).value))
                else:
                    arguments.append(parser.parse_expression())
            if not arguments:
                parser.fail(f"{{% {tag.value} %}} needs a name", tag.lineno)
            if tag.value == "static":
                call = self.call_method("_static", arguments)
            else:
                call = self.call_method("_url", [arguments[0], nodes.Tuple(arguments[1:], "load")])
        return nodes.Output([call], lineno=tag.lineno)

    @staticmethod
    def _static(path) -> str:
        return static_url(get_script_prefix(), path)

    @staticmethod
    def _url(name, args) -> str:
        # The URL depends on the URLconf and the script prefix of this request, and on nothing else here.
        return page_url(get_urlconf(), get_script_prefix(), name, args)

    @staticmethod
    def _csrf_field(context) -> Markup:
        token = context.get("csrf_token")
        if not token or token == "NOTPROVIDED":
            return Markup("")
        return Markup(f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">')  # noqa: S704


# reverse() and static() cost 10 to 30 µs a call and the layout alone names a dozen URLs, so their answers
# are kept: they change only with what the keys hold, and static_url's with the settings below.
@functools.lru_cache(maxsize=1024)
def page_url(urlconf, script_prefix: str, name: str, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args)


@functools.lru_cache(maxsize=256)
def static_url(script_prefix: str, path: str) -> str:
    return static(path)


@receiver(setting_changed)
def forget_static_urls(setting, **kwargs):
    """Tests that change where static files are served from get the new URLs."""
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "FORCE_SCRIPT_NAME"}:
        static_url.cache_clear()


# --- The apps' template tags, as functions -----------------------------------------------------------------


@functools.cache
def django_template(source: str):
    return engines["django"].from_string(source)


@pass_context
def offline_banner(context, page: str) -> Markup:
    """What {% load pwa %}{% offline_banner page %} renders, with the template's request."""
    tag = django_template("{% load pwa %}{% offline_banner page %}")
    return Markup(tag.render({"request": context["request"], "page": page}))  # noqa: S704 (Django escaped it)


@pass_context
def checkin_prompt(context) -> Markup:
    """What {% load wellbeing %}{% checkin_prompt %} renders, from the template's profile and today (one
    query), request and csrf_token."""
    names = ("profile", "today", "request", "csrf_token")
    tag = django_template("{% load wellbeing %}{% checkin_prompt %}")
    return Markup(tag.render({name: context[name] for name in names}))  # noqa: S704 (Django escaped it)
