"""Privacy test fixtures: moto's S3 server (shared with the media tests), and emptying the
append-only audit log that moderation in the scenarios writes to."""

from tests.media.conftest import moto_s3
from tests.moderation.conftest import empty_audit_log_afterwards

__all__ = ["empty_audit_log_afterwards", "moto_s3"]
