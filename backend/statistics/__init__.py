"""Statistics only in aggregate: monthly figures per site, charts and CSV."""
