import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-and-long-passphrase"


def sign_up(client, email="sam@example.com", password=PASSWORD, is_adult=True, **extra):
    data = {"email": email, "password1": password, "password2": extra.pop("password2", password)}
    if is_adult:
        data["is_adult"] = "on"
    return client.post(reverse("account_signup"), data)


def is_logged_in(client):
    """Signed-in people reach their pages (or onboarding); everyone else is sent to the login page."""
    response = client.get(reverse("dashboard"))
    return not response.get("Location", "").startswith(reverse("account_login"))


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_sign_up_sends_a_verification_email(client, mailoutbox):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="sam@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sam@example.com"]
    assert mailoutbox[0].subject == "Steady: Confirm your email address"
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    assert "http://testserver/safety/" in mailoutbox[0].body


def test_the_verification_link_verifies_and_logs_in(client, mailoutbox):
    sign_up(client)
    link = link_in(mailoutbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm" in page.content  # a GET never confirms: link scanners must not do it

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="sam@example.com").verified
    assert is_logged_in(client)


def test_login_waits_for_a_verified_email(client, mailoutbox, time_machine):
    time_machine.move_to("2026-11-23 09:00Z")
    sign_up(client)
    client.logout()
    mailoutbox.clear()

    response = client.post(reverse("account_login"), {"login": "sam@example.com", "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mailoutbox == []  # allauth's rate limit: one verification email per address per 3 minutes

    time_machine.move_to("2026-11-23 09:04Z")
    client.post(reverse("account_login"), {"login": "sam@example.com", "password": PASSWORD})
    assert len(mailoutbox) == 1  # the link is sent again
    assert not is_logged_in(client)


def test_login_and_logout(client):
    user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert is_logged_in(client)

    client.post(reverse("account_logout"))
    assert not is_logged_in(client)


def test_wrong_password_is_refused_with_a_message(client):
    user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": "not-the-password"})

    assert response.status_code == 200
    assert b"not correct" in response.content
    assert not is_logged_in(client)


def test_password_reset_by_email(client, mailoutbox):
    user = UserFactory()

    client.post(reverse("account_reset_password"), {"email": user.email})

    assert len(mailoutbox) == 1
    link = link_in(mailoutbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.login(email=user.email, password=NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert mailoutbox == []  # nothing sent to a stranger's address


def test_under_18_is_refused_kindly_with_a_way_to_help(client, mailoutbox):
    response = sign_up(client, is_adult=False)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Steady is made for adults" in page
    assert f'href="{reverse("safety")}"' in page
    assert not User.objects.exists()
    assert mailoutbox == []


def test_a_second_sign_up_with_the_same_email_makes_no_second_account(client, mailoutbox):
    UserFactory(email="sam@example.com")

    response = sign_up(client, email="SAM@example.com")

    # allauth does not reveal that the address is taken; it emails the owner instead.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="sam@example.com").count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["SAM@example.com"] or mailoutbox[0].to == ["sam@example.com"]


def test_two_sign_ups_for_one_address_at_the_same_moment_make_one_account_and_no_error(
    client, mailoutbox, monkeypatch
):
    from accounts.auth_forms import SteadySignupForm

    checked = SteadySignupForm.clean_email

    def taken_meanwhile(form):
        email = checked(form)  # free when checked...
        UserFactory(email=email)  # ...and taken by the other request before this one saves
        return email

    monkeypatch.setattr(SteadySignupForm, "clean_email", taken_meanwhile)

    response = sign_up(client, email="race@example.com")

    assert response.status_code == 302  # the usual "check your email", not a 500
    assert User.objects.filter(email="race@example.com").count() == 1
    assert [message.to for message in mailoutbox] == [["race@example.com"]]  # "you already have an account"


@pytest.mark.parametrize(
    "password, password2, message",
    [
        ("short1!", "short1!", "too short"),
        ("password1234", "password1234", "too common"),
        ("8472910365128", "8472910365128", "entirely numeric"),
        (PASSWORD, "something-else-entirely", "same password"),
    ],
)
def test_bad_passwords_are_explained(client, password, password2, message):
    response = sign_up(client, password=password, password2=password2)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_email_change_needs_verification_of_the_new_address(client, mailoutbox):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})

    assert EmailAddress.objects.filter(user=user, email="new@example.com", verified=False).exists()
    assert mailoutbox[-1].to == ["new@example.com"]


def test_repeated_failed_logins_are_slowed_down(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "not-the-password"})

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not is_logged_in(client)


def test_sign_up_form_asks_for_age_confirmation_after_the_passwords(client):
    form = client.get(reverse("account_signup")).context["form"]

    assert list(form.fields)[:4] == ["email", "password1", "password2", "is_adult"]


def failed_logins_from(client, address, count):
    """`count` failed logins, each for another address, from a visitor at `address` behind one proxy: whether
    the last was refused as one too many."""
    for n in range(count):
        response = client.post(
            reverse("account_login"),
            {"login": f"guess{n}@example.com", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",  # the TLS proxy
            HTTP_X_FORWARDED_FOR=address,
        )
    return "Too many failed login attempts" in response.content.decode()


def test_behind_the_proxy_one_visitors_failed_logins_do_not_lock_out_another(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    assert failed_logins_from(client, "203.0.113.7", 11)  # this visitor is slowed down
    assert not failed_logins_from(client, "198.51.100.9", 1)  # the next one is not


def test_without_a_trusted_proxy_the_forwarded_address_is_not_believed(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0

    assert failed_logins_from(client, "203.0.113.7", 11)
    assert failed_logins_from(client, "198.51.100.9", 1)  # anyone can write X-Forwarded-For


# --- One mailbox, one spelling -----------------------------------------------------------------------------


def test_an_address_with_a_non_latin_domain_is_stored_as_browsers_send_it(client, mailoutbox):
    sign_up(client, email="anna@Bücher.example")

    user = User.objects.get()
    assert user.email == "anna@xn--bcher-kva.example"
    assert EmailAddress.objects.get(user=user).email == "anna@xn--bcher-kva.example"


@pytest.mark.parametrize(
    "first, second",
    [("anna@bücher.example", "anna@xn--bcher-kva.example")] * 1
    + [("anna@xn--bcher-kva.example", "anna@bücher.example")],
)
def test_both_spellings_of_one_mailbox_make_one_account(client, mailoutbox, first, second):
    sign_up(client, email=first)
    sign_up(client, email=second)

    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "spelling", ["anna@bücher.example", "anna@xn--bcher-kva.example", "anna@BÜCHER.example"]
)
def test_either_spelling_logs_in_and_resets_the_password(client, mailoutbox, spelling):
    user = UserFactory(email="anna@bücher.example")
    assert user.email == "anna@xn--bcher-kva.example"

    client.post(reverse("account_login"), {"login": spelling, "password": PASSWORD})
    assert is_logged_in(client)

    client.logout()
    client.post(reverse("account_reset_password"), {"email": spelling})
    assert [message.to for message in mailoutbox] == [["anna@xn--bcher-kva.example"]]


def test_allauths_emails_say_a_machine_sent_them_with_a_dated_zone_and_steadys_domain(
    client, mailoutbox, settings
):
    settings.SITE_URL = "https://steady.example.org"
    sign_up(client, email="new@example.com")

    [message] = mailoutbox
    headers = message.message()
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["Message-ID"].endswith("@steady.example.org>")
    assert not headers["Date"].endswith("-0000")


def test_the_login_page_says_log_in_as_the_menu_does(client):
    page = client.get(reverse("account_login")).content.decode()

    assert "Sign In" not in page and "Sign in" not in page
    assert "<title>Log in" in page and ">Log in<" in page.replace("\n", "").replace("  ", "")


def test_the_verification_and_reset_emails_come_in_steadys_look_too(client, mailoutbox):
    sign_up(client, email="new@example.com")
    client.post(reverse("account_reset_password"), {"email": UserFactory(email="old@example.com").email})

    for message in mailoutbox:
        [(html, kind)] = message.alternatives
        assert kind == "text/html"
        assert "crisis lines and professional help" in html and "/safety/" in html
        link = re.search(r"https?://\S+", message.body).group(0)
        assert f'href="{link}"' in html  # the same link as the text version


def test_an_address_too_long_to_store_is_refused_not_cut_short(client, mailoutbox):
    too_long = "a" * 300 + "@example.org"
    response = sign_up(client, email=too_long)
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not User.objects.exists() and not mailoutbox
    longest = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + "." + "c" * 6  # 254 characters
    assert len(longest) == 254
    assert sign_up(client, email=longest).status_code == 302
    assert User.objects.get().email == longest
