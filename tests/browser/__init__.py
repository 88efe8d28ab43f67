"""What a person does, in Debian's chromium driven by Playwright."""
