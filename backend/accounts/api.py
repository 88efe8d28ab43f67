"""Accounts over HTTP: the JSON API and the plain form posts that the sign-up pages use."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from litestar.response import Redirect
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_202_ACCEPTED,
    HTTP_204_NO_CONTENT,
    HTTP_303_SEE_OTHER,
)

from backend.accounts.schemas import (
    EmailChange,
    LogIn,
    Me,
    Notice,
    PasswordChange,
    PhoneChange,
    ProfileUpdate,
    SignUp,
)
from backend.accounts.service import AccountRestricted, Accounts, ProfileChanges, SignedIn
from backend.errors import DomainError, TooManyRequests
from backend.regions.choice import region_from_choice
from backend.settings import Settings
from backend.web.auth import current_session, require_sign_in
from backend.web.cookies import cleared_session_cookie, session_cookie
from backend.web.flash import Flash, cleared_flash_cookie, flash_cookie

SIGNED_UP = (
    "If this email address was not registered yet, your account is ready. Log in to continue."
)
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def client_ip(request: Request) -> str:
    """The caller's address (uvicorn resolves proxy headers when told to trust the proxy)."""
    return request.client.host if request.client else "unknown"


async def _rotate_into_new_session(
    request: Request, accounts: Accounts, settings: Settings, email: str, password: str
) -> tuple[SignedIn, Cookie]:
    """Log in, ending the session the browser held before (session ids rotate on log-in)."""
    new_session = await accounts.log_in(
        email=email,
        password=password,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    if request.scope.get("auth") is not None:
        await accounts.log_out(request.scope["auth"].session_id)
    return new_session.signed_in, session_cookie(settings, new_session.token)


async def _end_session(request: Request, accounts: Accounts) -> None:
    signed_in = request.scope.get("auth")
    if signed_in is not None:
        await accounts.log_out(signed_in.session_id)


class AuthController(Controller):
    """Sign up, log in and log out with JSON bodies."""

    path = "/api/auth"
    tags = ["accounts"]

    @post("/signup", status_code=HTTP_202_ACCEPTED)
    async def sign_up(
        self, request: Request, data: JSONBody[SignUp], accounts: NamedDependency[Accounts]
    ) -> Notice:
        """Create an account. The answer is the same whether or not the address was taken."""
        await accounts.sign_up(
            email=data.email,
            password=data.password,
            display_name=data.display_name,
            language=data.language,
            ip=client_ip(request),
        )
        return Notice(detail=SIGNED_UP)

    @post("/login", status_code=HTTP_200_OK)
    async def log_in(
        self,
        request: Request,
        data: JSONBody[LogIn],
        accounts: NamedDependency[Accounts],
        settings: NamedDependency[Settings],
    ) -> Response[Me]:
        """Open a session; the cookie is HttpOnly and the id is new."""
        signed_in, cookie = await _rotate_into_new_session(
            request, accounts, settings, data.email, data.password
        )
        return Response(Me.from_account(signed_in.account), cookies=[cookie])

    @post("/logout", status_code=HTTP_204_NO_CONTENT)
    async def log_out(
        self,
        request: Request,
        accounts: NamedDependency[Accounts],
        settings: NamedDependency[Settings],
    ) -> Response[None]:
        """End this device's session and ask the browser to forget what it kept."""
        await _end_session(request, accounts)
        return Response(
            None,
            status_code=HTTP_204_NO_CONTENT,
            cookies=[cleared_session_cookie(settings)],
            headers={"Clear-Site-Data": CLEAR_SITE_DATA},
        )


class MeController(Controller):
    """The signed-in user's own account."""

    path = "/api/me"
    tags = ["accounts"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @get("")
    async def me(self, session: NamedDependency[SignedIn]) -> Me:
        """The caller's profile."""
        return Me.from_account(session.account)

    @patch("")
    async def update(
        self,
        data: JSONBody[ProfileUpdate],
        session: NamedDependency[SignedIn],
        accounts: NamedDependency[Accounts],
    ) -> Me:
        """Change display name, kind, bio, interests or language."""
        changes = ProfileChanges(
            display_name=data.display_name,
            account_kind=data.account_kind,
            bio=data.bio,
            interests=data.interests,
            language=data.language,
            region=region_from_choice(data.region) if data.region else None,
            read_receipts=data.read_receipts,
        )
        return Me.from_account(await accounts.update_profile(session.account, changes))

    @post("/password", status_code=HTTP_204_NO_CONTENT)
    async def change_password(
        self,
        data: JSONBody[PasswordChange],
        session: NamedDependency[SignedIn],
        accounts: NamedDependency[Accounts],
    ) -> None:
        """Set a new password; every other session of the user ends."""
        await accounts.change_password(
            session, current_password=data.current_password, new_password=data.new_password
        )

    @post("/email", status_code=HTTP_200_OK)
    async def change_email(
        self,
        data: JSONBody[EmailChange],
        session: NamedDependency[SignedIn],
        accounts: NamedDependency[Accounts],
    ) -> Me:
        """Change the log-in address (asks for the password again)."""
        account = await accounts.change_email(
            session.account, current_password=data.current_password, new_email=data.email
        )
        return Me.from_account(account)

    @post("/phone", status_code=HTTP_200_OK)
    async def change_phone(
        self,
        data: JSONBody[PhoneChange],
        session: NamedDependency[SignedIn],
        accounts: NamedDependency[Accounts],
    ) -> Me:
        """Set or remove the phone number (asks for the password again)."""
        account = await accounts.change_phone(
            session.account, current_password=data.current_password, phone=data.phone
        )
        return Me.from_account(account)


FormBody = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _redirect_with_flash(request: Request, settings: Settings, to: str, flash: Flash) -> Redirect:
    cookie = flash_cookie(flash, request.app.state.app_keys.signing_key, secure=settings.https)
    return Redirect(to, cookies=[cookie], status_code=HTTP_303_SEE_OTHER)


def _form_text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


class AuthFormController(Controller):
    """The same actions as plain HTML form posts, answered with redirects.

    The ReactPy pages run over a websocket, which cannot set an HttpOnly cookie; their
    sign-up, log-in and log-out forms post here instead.
    """

    path = "/auth"
    include_in_schema = False

    @post("/signup", status_code=HTTP_303_SEE_OTHER)
    async def sign_up(
        self,
        request: Request,
        data: FormBody,
        accounts: NamedDependency[Accounts],
        settings: NamedDependency[Settings],
    ) -> Redirect:
        """Create the account, then continue on the log-in page with the address filled in."""
        email = _form_text(data, "email")
        try:
            await accounts.sign_up(
                email=email,
                password=_form_text(data, "password"),
                display_name=_form_text(data, "display_name"),
                language=_form_text(data, "language") or "nl",
                ip=client_ip(request),
            )
        except TooManyRequests as error:
            flash = Flash("throttled", email, error.retry_after)
            return _redirect_with_flash(request, settings, "/signup", flash)
        except DomainError as error:
            flash = Flash(f"invalid:{error.field or ''}:{error.message}", email)
            return _redirect_with_flash(request, settings, "/signup", flash)
        return _redirect_with_flash(request, settings, "/login", Flash("signed-up", email))

    @post("/login", status_code=HTTP_303_SEE_OTHER)
    async def log_in(
        self,
        request: Request,
        data: FormBody,
        accounts: NamedDependency[Accounts],
        settings: NamedDependency[Settings],
    ) -> Redirect:
        """Open a session and go to the app; on failure back to the log-in page with a notice."""
        email = _form_text(data, "email")
        try:
            _, cookie = await _rotate_into_new_session(
                request, accounts, settings, email, _form_text(data, "password")
            )
        except TooManyRequests as error:
            flash = Flash("throttled", email, error.retry_after)
            return _redirect_with_flash(request, settings, "/login", flash)
        except AccountRestricted:
            return _redirect_with_flash(request, settings, "/login", Flash("restricted", email))
        except DomainError:
            return _redirect_with_flash(request, settings, "/login", Flash("wrong", email))
        return Redirect(
            "/discover", cookies=[cookie, cleared_flash_cookie()], status_code=HTTP_303_SEE_OTHER
        )

    @post("/logout", status_code=HTTP_303_SEE_OTHER)
    async def log_out(
        self,
        request: Request,
        accounts: NamedDependency[Accounts],
        settings: NamedDependency[Settings],
    ) -> Redirect:
        """End this device's session and return to the log-in page."""
        await _end_session(request, accounts)
        return Redirect(
            "/login",
            cookies=[cleared_session_cookie(settings)],
            headers={"Clear-Site-Data": CLEAR_SITE_DATA},
            status_code=HTTP_303_SEE_OTHER,
        )
