"""Privacy test fixtures: moto's S3 server (shared with the media tests)."""

from tests.media.conftest import moto_s3

__all__ = ["moto_s3"]
