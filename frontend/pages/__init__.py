"""One module per page (or a few closely related pages)."""
