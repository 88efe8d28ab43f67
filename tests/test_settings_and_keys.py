"""Settings from ``HANDJE_*`` variables and secrets generated once with mode 0600."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from backend.accounts.passwords import PasswordHashing
from backend.errors import Invalid
from backend.keys import load_or_create_keys
from backend.settings import Settings


def test_defaults_keep_all_state_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.from_env({"HANDJE_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'handje.sqlite3'}"
    assert settings.secrets_dir == tmp_path / "secrets"
    assert (settings.host, settings.port, settings.https) == ("127.0.0.1", 8000, False)


def test_environment_values_are_typed(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "HANDJE_DATA_DIR": str(tmp_path),
            "HANDJE_PORT": "9000",
            "HANDJE_HTTPS": "yes",
            "HANDJE_ALLOWED_ORIGINS": "https://a.example, https://b.example/",
        }
    )
    assert settings.port == 9000
    assert settings.https is True
    assert settings.allowed_origins == ("https://a.example", "https://b.example")


@pytest.mark.parametrize(("name", "value"), [("HANDJE_PORT", "eighty"), ("HANDJE_HTTPS", "maybe")])
def test_bad_environment_values_are_refused(name: str, value: str) -> None:
    with pytest.raises(Invalid, match=name):
        Settings.from_env({name: value})


def test_secrets_are_created_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_or_create_keys(tmp_path / "secrets")
    second = load_or_create_keys(tmp_path / "secrets")
    assert first == second
    for path in (tmp_path / "secrets").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    point = base64.urlsafe_b64decode(first.vapid_public_key + "==")
    assert len(point) == 65
    assert point[0] == 4


def test_a_second_data_dir_gets_its_own_secrets(tmp_path: Path) -> None:
    assert load_or_create_keys(tmp_path / "a") != load_or_create_keys(tmp_path / "b")


async def test_default_password_hashing_uses_owasp_argon2id_parameters() -> None:
    defaults = Settings()
    hashing = PasswordHashing(
        memory_kib=defaults.argon2_memory_kib, time_cost=defaults.argon2_time_cost
    )
    encoded = await hashing.hash("a sufficiently long password")
    assert encoded.startswith("$argon2id$v=19$m=47104,t=1,p=1$")
    assert await hashing.verify(encoded, "a sufficiently long password")
    assert not await hashing.verify(encoded, "another password entirely")
    assert not await hashing.verify(None, "a sufficiently long password")
