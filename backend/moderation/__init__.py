"""Trust and safety: cases from reports and daily checks, the moderators' actions, the audit log."""
