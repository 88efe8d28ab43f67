"""HTTP glue shared by every domain: session cookies, security headers, error mapping, health."""
