"""Web push: device subscriptions, notification settings, and the delivery worker."""
