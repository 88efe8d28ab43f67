"""Rate limits shared by every process: log-in throttling, sign-up and later message limits."""
