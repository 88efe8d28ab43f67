"""Marking English strings that the UI translates later (gettext's ``N_`` convention)."""


def N_(message: str) -> str:  # noqa: N802 - the name the extraction tools look for
    """Return ``message`` unchanged; ``make messages`` collects it into the catalogs."""
    return message
