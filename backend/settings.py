"""Typed settings, read once from ``HANDJE_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from backend.errors import Invalid


def _flag(value: str) -> bool:
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


def _origins(value: str) -> tuple[str, ...]:
    return tuple(origin.strip().rstrip("/") for origin in value.split(",") if origin.strip())


def _hosts(value: str) -> tuple[str, ...]:
    return tuple(host.strip().lower() for host in value.split(",") if host.strip())


# The push services of Chrome/Android (FCM), Firefox, Edge/Windows and Safari/iOS.
DEFAULT_PUSH_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.notify.windows.com",
    "web.push.apple.com",
    "*.push.apple.com",
)


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one Handje installation.

    Each field maps to ``HANDJE_<FIELD>`` (upper case); the README lists them with their defaults.
    """

    data_dir: Path = Path("var")
    database_url: str = ""
    database_pool_size: int = 10
    redis_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    https: bool = False
    allowed_origins: tuple[str, ...] = ()
    session_days: int = 30
    argon2_memory_kib: int = 47_104
    argon2_time_cost: int = 1
    login_account_limit: int = 5
    login_ip_limit: int = 30
    login_window_seconds: int = 900
    signup_ip_limit: int = 10
    signup_window_seconds: int = 3_600
    max_body_bytes: int = 1_048_576
    listing_weeks: int = 8
    expiry_reminder_days: int = 7
    job_interval_seconds: int = 900
    interests_per_day: int = 20
    upload_max_bytes: int = 15_728_640
    image_max_pixels: int = 50_000_000
    uploads_per_hour: int = 30
    storage_quota_bytes: int = 52_428_800
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = field(default="", repr=False)
    s3_path_style: bool = False
    s3_public_url: str = ""
    media_url_seconds: int = 3_600
    log_level: str = "info"
    vapid_subject: str = "mailto:hallo@handje.nl"
    push_hosts: tuple[str, ...] = DEFAULT_PUSH_HOSTS
    push_worker: bool = True
    push_lease_seconds: int = 60
    push_per_service: int = 16
    push_daily_cap: int = 3
    tip_after_days: int = 3
    ip_retention_days: int = 30
    check_window_hours: int = 24
    signup_burst_accounts: int = 5
    broadcast_people: int = 5
    duplicate_listings: int = 3
    auto_ban_score: int = 0
    inactive_account_days: int = 730
    inactive_grace_days: int = 30
    ended_listing_days: int = 180
    export_hours: int = 48
    export_background_rows: int = 1_000
    ip_limit_factor: int = 5
    listings_per_day: int = 20
    signup_email_limit: int = 3

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``HANDJE_*`` variables; unknown values raise ``Invalid``."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, kind in _FIELD_TYPES.items():
            raw = env.get(f"HANDJE_{name.upper()}")
            if raw is None:
                continue
            try:
                values[name] = kind(raw)
            except ValueError as error:
                raise Invalid(f"HANDJE_{name.upper()}: {error}") from error
        return cls(**values)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        # Defaults that depend on other settings: the SQLite file lives in the data directory.
        data_dir = Path(self.data_dir).expanduser().resolve()
        object.__setattr__(self, "data_dir", data_dir)
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{data_dir / 'handje.sqlite3'}")

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite:")

    @property
    def sqlite_path(self) -> Path:
        """The SQLite database file (only meaningful when ``is_sqlite``)."""
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def media_dir(self) -> Path:
        """Where photos live when no S3 bucket is configured."""
        return self.data_dir / "media"

    @property
    def secrets_dir(self) -> Path:
        """Where generated secrets live (files with mode 0600)."""
        return self.data_dir / "secrets"


_FIELD_TYPES: dict[str, type | object] = {
    "data_dir": Path,
    "database_url": str,
    "database_pool_size": int,
    "redis_url": str,
    "host": str,
    "port": int,
    "https": _flag,
    "allowed_origins": _origins,
    "session_days": int,
    "argon2_memory_kib": int,
    "argon2_time_cost": int,
    "login_account_limit": int,
    "login_ip_limit": int,
    "login_window_seconds": int,
    "signup_ip_limit": int,
    "signup_window_seconds": int,
    "max_body_bytes": int,
    "listing_weeks": int,
    "expiry_reminder_days": int,
    "job_interval_seconds": int,
    "interests_per_day": int,
    "upload_max_bytes": int,
    "image_max_pixels": int,
    "uploads_per_hour": int,
    "storage_quota_bytes": int,
    "s3_bucket": str,
    "s3_endpoint_url": str,
    "s3_region": str,
    "s3_access_key_id": str,
    "s3_secret_access_key": str,
    "s3_path_style": _flag,
    "s3_public_url": str,
    "media_url_seconds": int,
    "log_level": str,
    "vapid_subject": str,
    "push_hosts": _hosts,
    "push_worker": _flag,
    "push_lease_seconds": int,
    "push_per_service": int,
    "push_daily_cap": int,
    "tip_after_days": int,
    "ip_retention_days": int,
    "check_window_hours": int,
    "signup_burst_accounts": int,
    "broadcast_people": int,
    "duplicate_listings": int,
    "auto_ban_score": int,
    "inactive_account_days": int,
    "inactive_grace_days": int,
    "ended_listing_days": int,
    "export_hours": int,
    "export_background_rows": int,
    "ip_limit_factor": int,
    "listings_per_day": int,
    "signup_email_limit": int,
}
