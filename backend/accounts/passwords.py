"""Password rules and argon2id hashing, off the event loop and capped near the core count."""

from __future__ import annotations

import asyncio
import os
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from backend.errors import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 256


@cache
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords from zxcvbn's frequency list."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_new_password(password: str, *, email: str = "") -> None:
    """Raise ``Invalid`` unless ``password`` is long enough and not a common one."""
    if len(password) < MIN_LENGTH:
        raise Invalid("Use at least 10 characters.", field="password")
    if len(password) > MAX_LENGTH:
        raise Invalid("Use at most 256 characters.", field="password")
    lowered = password.lower()
    if lowered in _common_passwords() or (email and lowered == email.lower()):
        raise Invalid("This password is too common. Choose another one.", field="password")


class PasswordHashing:
    """argon2id at OWASP's parameters (m=46 MiB, t=1, p=1 by default).

    Each hash takes tens of milliseconds and its memory, so at most one per core runs at once;
    further callers wait instead of exhausting memory under a burst of log-ins.
    """

    def __init__(self, *, memory_kib: int, time_cost: int, max_parallel: int | None = None) -> None:
        self._hasher = PasswordHasher(memory_cost=memory_kib, time_cost=time_cost, parallelism=1)
        self._slots = asyncio.Semaphore(max_parallel or os.cpu_count() or 1)
        self._dummy_hash = self._hasher.hash("handje-timing-equaliser")

    async def hash(self, password: str) -> str:
        """The encoded argon2id hash of ``password``."""
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, encoded: str | None, password: str) -> bool:
        """Whether ``password`` matches; with no hash, spend the same time and answer False."""
        async with self._slots:
            return await asyncio.to_thread(self._verify_sync, encoded, password)

    def needs_rehash(self, encoded: str) -> bool:
        """Whether ``encoded`` was made with other parameters than the current ones."""
        return self._hasher.check_needs_rehash(encoded)

    def _verify_sync(self, encoded: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(encoded or self._dummy_hash, password) and bool(encoded)
        except (VerificationError, InvalidHashError):
            return False
