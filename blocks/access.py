"""What someone outside the meeting is told when they ask for its content."""

from __future__ import annotations

ACCESS_REFUSAL = (
    "The briefing's content (updates, urgent demands, the running order and the roll call) is "
    "shown only to the meeting's chairs and to people who speak for an invited body, and you "
    "are not listed for one. To be added, ask a chair to run `/dbm member @you CODE` with your "
    "body's code (`/dbm bodies` lists them). Nothing was shown."
)


def build_access_refusal() -> str:
    """The private answer to someone who may not see briefing content, saying how to be added."""
    return ACCESS_REFUSAL
