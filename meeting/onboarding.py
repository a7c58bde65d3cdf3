"""What a newcomer is asked to do with the guidance: one decision, so the welcome's words and
its buttons always agree.

A person can confirm reading only a published version, and only the text they were sent: when
no version is published yet, or config/guidance.md has changed since the chairs last published
it, they are sent the current text to read and are not asked to confirm anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from meeting.guidance import GuidanceText, current_version
from storage.models import GuidanceVersion


class Ask(StrEnum):
    """What the welcome asks of a newcomer."""

    CONFIRM = "confirm"  # the text sent is the published version: press "I have read this"
    NOTHING_PUBLISHED = "nothing_published"  # read it; nothing to confirm until it is published
    CHANGED = "changed"  # read it; it differs from the published version until republished


@dataclass(frozen=True)
class Onboarding:
    """The decision, with the version to confirm when there is one."""

    ask: Ask
    version_id: int | None = None
    published_at: datetime | None = None


def onboarding_for(text: GuidanceText, version: GuidanceVersion | None) -> Onboarding:
    """What to ask of someone sent `text`, given the current published version."""
    if version is None or version.id is None:
        return Onboarding(Ask.NOTHING_PUBLISHED)
    if version.content_hash != text.content_hash:
        return Onboarding(Ask.CHANGED)
    return Onboarding(Ask.CONFIRM, version.id, version.published_at)


def onboarding(*, session: Session, text: GuidanceText) -> Onboarding:
    """What to ask of someone sent `text` now."""
    return onboarding_for(text, current_version(session=session))
