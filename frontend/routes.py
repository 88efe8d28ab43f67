"""The pages of the app: one list used by the ReactPy router and by the HTML shell routes.

Both use the same ``{name:type}`` path syntax, so a pattern is written once.
"""

SIGN_UP = "/signup"
LOG_IN = "/login"
DISCOVER = "/discover"
MY_LISTINGS = "/listings"
MESSAGES = "/messages"
CONVERSATION = "/messages/{conversation_id:uuid}"
PROFILE = "/profile"
NEW_LISTING = "/listings/new"
MATCHES = "/matches"
LISTING = "/listings/{listing_id:uuid}"
EDIT_LISTING = "/listings/{listing_id:uuid}/edit"
ORGANISATIONS = "/organisations"
ORGANISATION = "/organisations/{organisation_id:uuid}"
SAFETY = "/safety"
DESK = "/desk"
DESK_CASE = "/desk/cases/{case_id:uuid}"
DESK_AUDIT = "/desk/audit"
STATISTICS = "/statistics"
PRIVACY = "/privacy"
PRIVACY_SETTINGS = "/profile/privacy"
NOTIFICATIONS = "/notifications"
NOTIFICATION_SETTINGS = "/notifications/settings"

PUBLIC_PAGES = (SIGN_UP, LOG_IN)
MEMBER_PAGES = (
    DISCOVER,
    MY_LISTINGS,
    MESSAGES,
    CONVERSATION,
    PROFILE,
    NEW_LISTING,
    LISTING,
    EDIT_LISTING,
    ORGANISATIONS,
    ORGANISATION,
    MATCHES,
    STATISTICS,
    PRIVACY_SETTINGS,
    NOTIFICATIONS,
    NOTIFICATION_SETTINGS,
)
# Pages for everyone, signed in or not.
OPEN_PAGES = (PRIVACY,)
MODERATOR_PAGES = (DESK, DESK_CASE, DESK_AUDIT)
PAGE_PATHS = ("/", *PUBLIC_PAGES, *MEMBER_PAGES, SAFETY, *MODERATOR_PAGES, *OPEN_PAGES)
