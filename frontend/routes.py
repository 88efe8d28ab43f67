"""The pages of the app: one list used by the ReactPy router and by the HTML shell routes."""

SIGN_UP = "/signup"
LOG_IN = "/login"
DISCOVER = "/discover"
MY_LISTINGS = "/listings"
MESSAGES = "/messages"
PROFILE = "/profile"

PUBLIC_PAGES = (SIGN_UP, LOG_IN)
MEMBER_PAGES = (DISCOVER, MY_LISTINGS, MESSAGES, PROFILE)
PAGE_PATHS = ("/", *PUBLIC_PAGES, *MEMBER_PAGES)
