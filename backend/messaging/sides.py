"""Who is in a conversation, and the one check that a person is one of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Sides:
    """Who is in a conversation: the helper, and the people who manage the listing."""

    helper: UUID
    managers: list[UUID]
    listing_id: UUID
    title: str

    @property
    def people(self) -> set[UUID]:
        """Everyone in the conversation."""
        return {self.helper, *self.managers}

    def others(self, user_id: UUID) -> list[UUID]:
        """Everyone in the conversation except ``user_id``."""
        return [person for person in self.people if person != user_id]

    def partner(self, user_id: UUID) -> UUID:
        """The person on the other side (for an organisation's side: the helper)."""
        return self.managers[0] if user_id == self.helper else self.helper


# The people of each of some conversations (those that exist), looked up together.
SidesOf = Callable[[set[UUID]], Awaitable[dict[UUID, Sides]]]


def member_sides(
    all_sides: Mapping[UUID, Sides], conversation_id: UUID, person: UUID
) -> Sides | None:
    """The sides of the conversation if ``person`` is one of them; ``None`` for a stranger (or a
    conversation that does not exist): what they may neither read nor write.
    """
    sides = all_sides.get(conversation_id)
    return sides if sides is not None and person in sides.people else None
