"""Your data: download everything, or delete the account and every row of it."""

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import data


def download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def stamp() -> str:
    return timezone.now().strftime("%Y-%m-%d")


def csv_response(name: str, header: list[str], rows) -> HttpResponse:
    """A CSV download named steady-NAME-YYYY-MM-DD.csv; rows: lists of cells in the header's order."""
    # A byte-order mark first: without it Excel reads UTF-8 as another encoding and garbles accents.
    body = "\ufeff" + data.csv_text(header, rows)
    return download(body, "text/csv; charset=utf-8", f"steady-{name}-{stamp()}.csv")


@login_required
def your_data(request):
    return render(request, "accounts/data.html")


@login_required
def export_json(request):
    return download(data.export_json(request.user), "application/json", f"steady-data-{stamp()}.json")


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label="To confirm, type your email address",
        strip=True,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"]
        if not data.confirms_deletion(self.user, typed):
            raise forms.ValidationError(
                "That isn't your email address, so nothing was deleted. Please try again."
            )
        return typed


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data.delete_everything(request.user)
        logout(request)
        return redirect("account_deleted")
    return render(request, "accounts/data_delete.html", {"form": form})


def account_deleted(request):
    return render(request, "accounts/data_deleted.html")
