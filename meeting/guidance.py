"""The participants' guidance: its text, published versions, acknowledgements and deliveries."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from config.errors import ConfigError
from config.files import Threat
from config.settings import MeetingSettings, Settings
from meeting.audit import record
from storage.models import Body, GuidanceAck, GuidanceDelivery, GuidanceVersion, Member

GUIDANCE_FILE = "guidance.md"
STALE_PUBLICATION = timedelta(minutes=10)
CALENDAR_NAMES = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class GuidanceText:
    """The guidance as participants read it now (placeholders filled) and its content hash."""

    markdown: str
    content_hash: str


def _threat_lines(threats: tuple[Threat, ...], *, priority: bool) -> str:
    lines = []
    for threat in threats:
        if threat.priority is priority:
            also = f" (also written {', '.join(threat.aliases)})" if threat.aliases else ""
            lines.append(f"- **{threat.code}**: {threat.name}{also}")
    return "\n".join(lines) or "- none at present"


def placeholder_values(meeting: MeetingSettings, threats: tuple[Threat, ...]) -> dict[str, str]:
    """What each {placeholder} in the guidance file stands for, from the settings."""
    return {
        "open_time": f"{meeting.open_time:%H:%M}",
        "call_time": f"{meeting.call_time:%H:%M}",
        "close_time": f"{meeting.close_time:%H:%M}",
        "lookback_hours": str(meeting.lookback_hours),
        "lookahead_hours": str(meeting.lookahead_hours),
        "bank_holidays": CALENDAR_NAMES.get(meeting.bank_holidays, meeting.bank_holidays),
        "retention_days": str(meeting.retention_days),
        "priority_threats": _threat_lines(threats, priority=True),
        "other_threats": _threat_lines(threats, priority=False),
    }


def fill_placeholders(template: str, values: Mapping[str, str], *, source: str) -> str:
    """Replace each {name} with its value; an unknown name is a ConfigError naming the line."""
    for number, line in enumerate(template.splitlines(), start=1):
        for name in _PLACEHOLDER.findall(line):
            if name not in values:
                known = ", ".join("{" + k + "}" for k in sorted(values))
                raise ConfigError(
                    f"{source}:{number}: unknown placeholder {{{name}}}; use one of {known}"
                )
    return _PLACEHOLDER.sub(lambda match: values[match[1]], template)


def content_hash(markdown: str) -> str:
    """The SHA-256 of the text participants read (line endings and trailing space ignored)."""
    normal = "\n".join(line.rstrip() for line in markdown.strip().splitlines())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def load_guidance(settings: Settings) -> GuidanceText:
    """Read config/guidance.md and fill its placeholders; ConfigError if missing or broken."""
    path = Path(settings.config_dir) / GUIDANCE_FILE
    try:
        template = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the guidance ({exc.__class__.__name__})") from None
    if not template.strip():
        raise ConfigError(f"{path}: the guidance file is empty")
    values = placeholder_values(settings.meeting, settings.threats)
    markdown = fill_placeholders(template, values, source=str(path))
    return GuidanceText(markdown=markdown, content_hash=content_hash(markdown))


def current_version(*, session: Session) -> GuidanceVersion | None:
    """The latest version posted in the channel: the one participants acknowledge."""
    query = (
        select(GuidanceVersion)
        .where(col(GuidanceVersion.message_ts).is_not(None))
        .order_by(col(GuidanceVersion.published_at).desc(), col(GuidanceVersion.id).desc())
    )
    return session.exec(query).first()


def version_by_id(*, session: Session, version_id: int) -> GuidanceVersion | None:
    """A version by id, if it exists."""
    return session.get(GuidanceVersion, version_id)


def version_by_hash(*, session: Session, digest: str) -> GuidanceVersion | None:
    """The version with a content hash, if it was ever published."""
    return session.exec(
        select(GuidanceVersion).where(GuidanceVersion.content_hash == digest)
    ).first()


class Publication(StrEnum):
    """What an attempt to publish found."""

    NEW = "new"  # a new version: the caller posts and pins it
    REVIVED = "revived"  # an older text published again: the caller posts and pins it
    UNCHANGED = "unchanged"  # already the current version: nothing to post
    IN_PROGRESS = "in_progress"  # another publish of this text is under way


@dataclass(frozen=True)
class PublishClaim:
    """A claim on publishing one text, with the version to unpin afterwards."""

    outcome: Publication
    version: GuidanceVersion
    previous: GuidanceVersion | None = None
    restore: tuple[datetime, str | None] | None = None

    @property
    def mine(self) -> bool:
        """True when the caller must post and pin."""
        return self.outcome in (Publication.NEW, Publication.REVIVED)


def _revive(
    *, session: Session, row: GuidanceVersion, now: datetime, by: str, channel: str
) -> bool:
    """Take over a version row (older text again, or a stale unposted claim) under a guard."""
    taken = session.execute(
        update(GuidanceVersion)
        .where(col(GuidanceVersion.id) == row.id)
        .where(col(GuidanceVersion.published_at) == row.published_at)
        .values(published_at=now, published_by=by, channel_id=channel, message_ts=None)
    )
    session.commit()
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def _insert_version(
    *, session: Session, digest: str, now: datetime, by: str, channel: str
) -> GuidanceVersion | None:
    row = GuidanceVersion(
        content_hash=digest, published_at=now, published_by=by, channel_id=channel
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return row


def claim_publication(
    *, session: Session, digest: str, now: datetime, by: str, channel: str
) -> PublishClaim:
    """Claim publishing the text with `digest`; only a claim that is `mine` posts and pins."""
    previous = current_version(session=session)
    row = version_by_hash(session=session, digest=digest)
    if row is None:
        inserted = _insert_version(session=session, digest=digest, now=now, by=by, channel=channel)
        if inserted is not None:
            return PublishClaim(Publication.NEW, inserted, previous)
        row = version_by_hash(session=session, digest=digest)
        assert row is not None
        return PublishClaim(Publication.IN_PROGRESS, row)
    if row.message_ts and previous is not None and previous.id == row.id:
        return PublishClaim(Publication.UNCHANGED, row)
    if row.message_ts is None and now - row.published_at < STALE_PUBLICATION:
        return PublishClaim(Publication.IN_PROGRESS, row)
    restore = (row.published_at, row.message_ts)
    if not _revive(session=session, row=row, now=now, by=by, channel=channel):
        return PublishClaim(Publication.IN_PROGRESS, row)
    session.refresh(row)
    before = previous if previous is not None and previous.id != row.id else None
    return PublishClaim(Publication.REVIVED, row, before, restore)


def mark_posted(
    *, session: Session, claim: PublishClaim, message_ts: str, now: datetime
) -> GuidanceVersion:
    """Record the posted message of a claimed version: it becomes the current version."""
    version = claim.version
    version.message_ts = message_ts
    session.add(version)
    record(
        session=session,
        now=now,
        actor=version.published_by,
        action="guidance.publish",
        subject=f"guidance:{version.id}",
        before=None if claim.previous is None else {"version": claim.previous.id},
        after={"version": version.id, "hash": version.content_hash, "ts": message_ts},
    )
    session.commit()
    return version


def release_publication(*, session: Session, claim: PublishClaim) -> None:
    """Give up a claim whose post failed, so a later publish can try again."""
    version = claim.version
    if claim.restore is None:
        session.execute(
            GuidanceVersion.__table__.delete().where(  # type: ignore[attr-defined]
                GuidanceVersion.__table__.c.id == version.id,  # type: ignore[attr-defined]
                GuidanceVersion.__table__.c.message_ts.is_(None),  # type: ignore[attr-defined]
            )
        )
    else:
        version.published_at, version.message_ts = claim.restore
        session.add(version)
    session.commit()


def acknowledge(*, session: Session, user_id: str, version_id: int, now: datetime) -> bool:
    """Record that a person read a version; False if they had already (idempotent)."""
    if has_acknowledged(session=session, user_id=user_id, version_id=version_id):
        return False
    session.add(GuidanceAck(slack_user_id=user_id, version_id=version_id, acked_at=now))
    try:
        session.commit()
    except IntegrityError:  # the same press delivered twice at once
        session.rollback()
        return False
    return True


def has_acknowledged(*, session: Session, user_id: str, version_id: int) -> bool:
    """True if the person acknowledged this version."""
    query = select(GuidanceAck).where(
        GuidanceAck.slack_user_id == user_id, GuidanceAck.version_id == version_id
    )
    return session.exec(query).first() is not None


def claim_delivery(*, session: Session, user_id: str, reason: str, now: datetime) -> bool:
    """Claim sending the guidance to a person by DM; False if it was sent (or claimed) before."""
    if session.get(GuidanceDelivery, user_id) is not None:
        return False
    session.add(GuidanceDelivery(slack_user_id=user_id, delivered_at=now, reason=reason))
    try:
        session.commit()
    except IntegrityError:  # another process claimed it at the same moment
        session.rollback()
        return False
    return True


def release_delivery(*, session: Session, user_id: str) -> None:
    """Forget a delivery claim whose message could not be sent, so it is tried again."""
    row = session.get(GuidanceDelivery, user_id)
    if row is not None:
        session.delete(row)
        session.commit()


@dataclass(frozen=True)
class BodyMembers:
    """A body and some of its members' Slack user ids."""

    code: str
    name: str
    user_ids: tuple[str, ...]


def unacknowledged_by_body(*, session: Session, version_id: int) -> list[BodyMembers]:
    """Current members who have not acknowledged a version, grouped by body (by code)."""
    acked = select(GuidanceAck.slack_user_id).where(GuidanceAck.version_id == version_id)
    query = (
        select(Body, Member.slack_user_id)
        .join(Member, col(Member.body_id) == col(Body.id))
        .where(col(Member.removed_at).is_(None))
        .where(col(Member.slack_user_id).not_in(acked))
        .order_by(col(Body.code), col(Member.slack_user_id))
    )
    grouped: dict[str, tuple[Body, list[str]]] = {}
    for body, user_id in session.exec(query):
        grouped.setdefault(body.code, (body, []))[1].append(user_id)
    return [BodyMembers(b.code, b.name, tuple(users)) for b, users in grouped.values()]
