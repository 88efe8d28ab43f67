"""Moderation tests write to the append-only audit log: empty it after each one."""

from collections.abc import AsyncIterator

import pytest

from tests.moderation.audit_cleanup import empty_audit_log


@pytest.fixture(autouse=True)
async def empty_audit_log_afterwards() -> AsyncIterator[None]:
    """Runs before the suite's own table emptying (fixtures end in reverse order)."""
    yield
    await empty_audit_log()
