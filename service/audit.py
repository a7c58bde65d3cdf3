"""The audit trail as people read it: who did what to a body's record, in words."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient

from meeting.audit_trail import AuditLine, AuditQuery, find_entries, load_names, to_lines
from meeting.roster import body_by_code
from service.deps import Deps
from slack_adapter.client import name_lookup
from storage.db import session_scope


@dataclass(frozen=True)
class BodyAudit:
    """A body's latest audit entries, people named from Slack where it can say."""

    code: str
    name: str
    lines: list[AuditLine]


def body_audit(deps: Deps, client: WebClient, *, code: str, newest: int) -> BodyAudit | None:
    """The `newest` audit entries about a body, newest first; None if no body has the code."""
    lookup = name_lookup(client)
    zone = deps.settings.meeting.timezone
    with session_scope(deps.engine) as session:
        body = body_by_code(session=session, code=code)
        if body is None:
            return None
        entries = find_entries(
            session=session, query=AuditQuery(body=body, newest=newest), zone=zone
        )
        names = load_names(
            session=session,
            zone=zone,
            name_of=lambda user: named if (named := lookup(user)) != user else None,
        )
        return BodyAudit(body.code, body.name, to_lines(entries, names))
