"""What each kind of audit entry says, in a sentence (the subject of the sentence is who did it).

One small function per action family; an action this module does not know is still shown,
plainly, with its before and after in words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from meeting.audit_wording import FIELD_LABELS, STATE_WORDS, Names, quote, show, show_fields
from meeting.labels import KIND_LABELS

Data = Mapping[str, Any]
Phrase = Callable[[str, Data, Data, Names], str]

# The actions the bot records (meeting/, bot/); the families are what `--action` accepts too.
KNOWN_ACTIONS = (
    "attendance.set",
    "briefing.open",
    "briefing.close",
    "demand.met",
    "demand.withdrawn",
    "demand.lapsed",
    "export.posted",
    "guidance.publish",
    "reminder.sent",
    "roster.invite",
    "roster.uninvite",
    "roster.member_add",
    "roster.member_remove",
    "standdown.set",
    "standdown.cancel",
    "update.create",
    "update.edit",
    "update.withdraw",
)
FAMILIES = tuple(sorted({action.split(".")[0] for action in KNOWN_ACTIONS}))
_ARTICLE = {"event": "a significant event", "plan": "an operational plan"}
_DEMAND_ENDS = {"met": "met", "withdrawn": "no longer needed", "lapsed": "lapsed"}


def _tail(subject: str) -> str:
    return subject.rsplit(":", 1)[-1]


def _update_name(subject: str, data: Data, names: Names) -> str:
    kind = str(data.get("kind") or "update")
    owner = names.body(data.get("body_id"))
    return f"{owner}'s {KIND_LABELS.get(kind, kind).lower()} (update {_tail(subject)})"


def _text(data: Data) -> str:
    summary = data.get("summary")
    return quote(summary) if summary else "(its text was removed by the retention purge)"


def _update_create(subject: str, before: Data, after: Data, names: Names) -> str:
    kind = str(after.get("kind") or "")
    what = _ARTICLE.get(kind, "an urgent demand" if kind == "demand" else "an update")
    return f"added {what} for {names.body(after.get('body_id'))} (update {_tail(subject)}): " + (
        _text(after)
    )


def _update_edit(subject: str, before: Data, after: Data, names: Names) -> str:
    thing = _update_name(subject, after, names)
    changes = [
        (FIELD_LABELS.get(k, k), show(k, before.get(k), names), show(k, after.get(k), names))
        for k in after
        if before.get(k) != after.get(k)
    ]
    if len(changes) == 1:
        ((field, old, new),) = changes
        return f"changed the {field} of {thing} from {old} to {new}"
    listed = "; ".join(f"the {field} from {old} to {new}" for field, old, new in changes)
    return f"changed {thing}: {listed or 'nothing'}"


def _update_withdraw(subject: str, before: Data, after: Data, names: Names) -> str:
    return f"withdrew {_update_name(subject, after or before, names)}: {_text(before)}"


def _demand(subject: str, before: Data, after: Data, names: Names) -> str:
    end = _DEMAND_ENDS.get(str(after.get("demand_status")), str(after.get("demand_status")))
    return f"marked {_update_name(subject, after, names)} {end}: {_text(after)}"


def _attendance(subject: str, before: Data, after: Data, names: Names) -> str:
    parts = subject.split(":")  # briefing:N:body:M
    body, day = names.body(parts[3]), names.day(parts[1])
    state = str(after.get("state"))
    was = f" (was {STATE_WORDS.get(str(before['state']), before['state'])})" if before else ""
    if state == "apologies":
        return f"recorded apologies from {body} for the briefing of {day}{was}"
    return f"marked {body} {STATE_WORDS.get(state, state)} at the briefing of {day}{was}"


def _briefing(subject: str, before: Data, after: Data, names: Names) -> str:
    verb = "opened" if "thread_ts" in after else "closed"
    return f"{verb} the briefing of {names.day(_tail(subject))}"


def _roster(subject: str, before: Data, after: Data, names: Names) -> str:
    if "last_day" in after:
        return (
            f"ended {before.get('code')}'s invitation after {show('d', after['last_day'], names)}"
        )
    if "from" in after:
        return f"invited {after.get('code')} from {show('d', after['from'], names)}"
    person = names.person(_tail(subject), bodies=False)
    if "body" in after:
        return f"recorded {person} as speaking for {after['body']}"
    return f"removed {person} from {show('bodies', before.get('bodies'), names)}"


def _standdown(subject: str, before: Data, after: Data, names: Names) -> str:
    day = show("date", _tail(subject), names)
    if not after:
        return f"put the meeting of {day} back on (it had been stood down)"
    if before:
        return (
            f"changed the reason for standing down the meeting of {day} from "
            f"{quote(before.get('reason', ''))} to {quote(after.get('reason', ''))}"
        )
    return f"stood down the meeting of {day}: {quote(after.get('reason', ''))}"


def _other(subject: str, before: Data, after: Data, names: Names) -> str:
    if "version" in after:
        return f"published the guidance (version {after['version']})"
    if "filename" in after:
        return f"posted the attendance spreadsheet for {_tail(subject)} ({after['filename']})"
    if "bodies" in after:
        return f"sent the roll-call reminder to {show('bodies', after['bodies'], names)}"
    raise KeyError(subject)  # not a shape this module knows: shown plainly


_PHRASES: dict[str, Phrase] = {
    "update.create": _update_create,
    "update.edit": _update_edit,
    "update.withdraw": _update_withdraw,
    "attendance": _attendance,
    "briefing": _briefing,
    "demand": _demand,
    "roster": _roster,
    "standdown": _standdown,
    "guidance.publish": _other,
    "export.posted": _other,
    "reminder.sent": _other,
}


def describe(
    action: str, subject: str, before: Data | None, after: Data | None, names: Names
) -> str:
    """What an audit entry did, in a sentence without its subject ("marked BTP present ...")."""
    phrase = _PHRASES.get(action) or _PHRASES.get(action.split(".")[0])
    if phrase is None:
        return f"{action} on {subject}: " + (show_fields(after or before, names) or "no details")
    try:
        return phrase(subject, before or {}, after or {}, names)
    except (KeyError, IndexError, ValueError, TypeError):  # an entry of an older shape
        return f"{action} on {subject}: " + (show_fields(after or before, names) or "no details")
