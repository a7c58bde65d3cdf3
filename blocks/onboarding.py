"""The guidance as sent to one person (a newcomer, or on /dbm guidance): its opening words and
its footer come from one decision (meeting/onboarding.py), so the message never asks for a
confirmation it does not offer, nor offers one it says is not needed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from blocks.guidance import GuidanceFooter, build_guidance_messages
from blocks.text import Block
from meeting.onboarding import Ask, Onboarding

WELCOMES = {
    "new_member": (
        "Welcome to the national Daily Briefing Meeting. You have been added as a member of a "
        "body that takes part. Here is the guidance on what participants are expected to bring "
        "and how the meeting runs."
    ),
    "first_post": (
        "Thank you for your first post in the national Daily Briefing Meeting. Here is the "
        "guidance on what participants are expected to bring and how the meeting runs."
    ),
}
CONFIRM = " Please read it, then press *I have read this* at the end."
NOTES = {
    Ask.NOTHING_PUBLISHED: (
        "The chairs have not published the guidance yet, so there is nothing to confirm. When "
        "they do, it is posted and pinned in the briefing channel, and you can confirm there."
    ),
    Ask.CHANGED: (
        "This text has changed since the chairs last published the guidance, so there is "
        "nothing to confirm yet. When they publish it, it is posted and pinned in the briefing "
        "channel, and you can confirm there."
    ),
}


def welcome_intro(reason: str | None, decision: Onboarding) -> str | None:
    """The opening words for a reason ("new_member", "first_post"; None: no opening)."""
    if reason not in WELCOMES:
        return None
    return WELCOMES[reason] + (CONFIRM if decision.ask is Ask.CONFIRM else "")


def welcome_footer(
    decision: Onboarding, zone: ZoneInfo, chairs: tuple[str, ...] = ()
) -> GuidanceFooter:
    """The footer: the read button for the published version, else a note saying why not."""
    if decision.ask is Ask.CONFIRM:
        return GuidanceFooter(zone, chairs, decision.version_id, decision.published_at)
    return GuidanceFooter(zone, chairs, note=NOTES[decision.ask])


def build_welcome_messages(
    markdown: str,
    decision: Onboarding,
    *,
    zone: ZoneInfo,
    reason: str | None = None,
    chairs: tuple[str, ...] = (),
) -> list[list[Block]]:
    """The guidance for one person, within Slack's limits, words and button in agreement."""
    footer = welcome_footer(decision, zone, chairs)
    return build_guidance_messages(markdown, footer, intro=welcome_intro(reason, decision))
