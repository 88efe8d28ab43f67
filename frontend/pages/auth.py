"""Sign-up and log-in pages; their forms post to ``/auth/*`` so the session cookie is HttpOnly."""

from __future__ import annotations

import math
from typing import Any

from reactpy import component, html, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.accounts.passwords import MIN_LENGTH
from frontend.components.forms import csrf_input, field, notice, value_of
from frontend.components.language import language_buttons
from frontend.components.standing import standing_notice
from frontend.context import PageContext, use_page
from frontend.routes import LOG_IN, SIGN_UP


def _brand(page: PageContext) -> VdomDict:
    return html.div(
        {"className": "brand"},
        html.img(
            {"className": "brand-logo", "src": "/static/icons/icon-192.png", "alt": "", "width": 72}
        ),
        html.p({"className": "brand-name"}, "Handje"),
        html.p({"className": "brand-tagline"}, page.t("Neighbours helping neighbours.")),
    )


def _flash_notice(page: PageContext) -> VdomDict | str:
    """The message carried over from the previous form post."""
    flash, t = page.flash, page.t
    if flash is None:
        return ""
    if flash.notice == "signed-up":
        return notice(
            "success",
            t(
                "If this email address was not registered yet, your account is ready. "
                "Log in to continue."
            ),
        )
    if flash.notice == "wrong":
        return notice("error", t("Wrong email address or password."))
    if flash.notice == "throttled":
        minutes = max(1, math.ceil(flash.retry_after / 60))
        return notice(
            "error", t("Too many attempts. Try again in {minutes} min.").format(minutes=minutes)
        )
    if flash.notice.startswith("invalid:"):
        return notice("error", t(flash.notice.split(":", 2)[2]))
    return ""


def _auth_frame(page: PageContext, *children: Any) -> VdomDict:
    return html.main(
        {"className": "auth-page"},
        _brand(page),
        language_buttons(page.language, page.t("Language"), page.set_language),
        _flash_notice(page),
        standing_notice(),
        *children,
    )


def _email_field(page: PageContext) -> VdomDict:
    """The email field, filled in again after a form post came back with a notice."""
    return field(
        "email",
        page.t("Email address"),
        html.input(
            {
                "type": "email",
                "autoComplete": "email",
                "required": True,
                "defaultValue": page.flash.email if page.flash else "",
            }
        ),
    )


def _auth_form(page: PageContext, action: str, submit_label: str, *fields: Any) -> VdomDict:
    """A plain form post to ``/auth/…`` with the CSRF token and a full-width submit button."""
    return html.form(
        {"className": "form", "method": "post", "action": action},
        csrf_input(page.csrf_token),
        *fields,
        html.button({"type": "submit", "className": "btn btn-primary btn-block"}, submit_label),
    )


@component
def sign_up_page() -> VdomDict:
    """Create an account: name, email, password."""
    page = use_page()
    t = page.t
    password_length, set_password_length = use_state(0)
    missing = MIN_LENGTH - password_length
    hint = (
        t("At least {count} characters; a short sentence is easy to remember.").format(
            count=MIN_LENGTH
        )
        if missing <= 0 or password_length == 0
        else t("{count} more characters needed.").format(count=missing)
    )
    return _auth_frame(
        page,
        html.h1(t("Create your account")),
        _auth_form(
            page,
            "/auth/signup",
            t("Create account"),
            html.input({"type": "hidden", "name": "language", "value": page.language}),
            field(
                "display_name",
                t("Your first name"),
                html.input(
                    {
                        "type": "text",
                        "autoComplete": "given-name",
                        "required": True,
                        "minLength": 2,
                        "maxLength": 60,
                    }
                ),
                hint=t("Others see only this name and your region, never your address."),
            ),
            _email_field(page),
            field(
                "password",
                t("Password"),
                html.input(
                    {
                        "type": "password",
                        "autoComplete": "new-password",
                        "required": True,
                        "minLength": MIN_LENGTH,
                        "maxLength": 256,
                        "onChange": lambda event: set_password_length(len(value_of(event))),
                    }
                ),
                hint=hint,
            ),
        ),
        html.p(t("Already have an account?"), " ", link({"to": LOG_IN}, t("Log in"))),
    )


@component
def log_in_page() -> VdomDict:
    """Log in with email and password."""
    page = use_page()
    t = page.t
    return _auth_frame(
        page,
        html.h1(t("Log in")),
        _auth_form(
            page,
            "/auth/login",
            t("Log in"),
            _email_field(page),
            field(
                "password",
                t("Password"),
                html.input(
                    {
                        "type": "password",
                        "autoComplete": "current-password",
                        "required": True,
                        "autoFocus": page.flash is not None,
                    }
                ),
            ),
        ),
        html.p(t("New to Handje?"), " ", link({"to": SIGN_UP}, t("Create an account"))),
    )
