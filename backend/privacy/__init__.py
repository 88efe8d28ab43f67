"""Privacy as a feature: consents, data export, account deletion and retention."""
