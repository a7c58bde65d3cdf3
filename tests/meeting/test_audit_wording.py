"""Audit entries in words (pure): each action family, UK times inside values, odd entries."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from meeting.audit_phrases import describe
from meeting.audit_trail import valid_action
from meeting.audit_wording import Names, show, show_fields

NAMES = Names(
    bodies={1: "BTP", 2: "PSNI"},
    briefings={7: date(2026, 3, 30)},
    people={"UALICE": ("BTP",)},
    zone=ZoneInfo("Europe/London"),
)
DEMAND: dict[str, Any] = {
    "kind": "demand",
    "body_id": 1,
    "summary": "Need a contact",
    "demand_status": "open",
    "respond_body_id": 2,
    "due_at": "2026-03-30 09:00:00+00:00",
}


@pytest.mark.parametrize(
    ("action", "subject", "before", "after", "expected"),
    [
        (
            "demand.met", "update:9", DEMAND, {**DEMAND, "demand_status": "met"},
            "marked BTP's urgent demand (update 9) met: “Need a contact”",
        ),
        (
            "demand.withdrawn", "update:9", DEMAND, {**DEMAND, "demand_status": "withdrawn"},
            "marked BTP's urgent demand (update 9) no longer needed: “Need a contact”",
        ),
        (
            "update.withdraw", "update:9", DEMAND, {**DEMAND, "summary": None},
            "withdrew BTP's urgent demand (update 9): “Need a contact”",
        ),
        (
            "update.create", "update:9", None, {**DEMAND, "summary": None},
            "added an urgent demand for BTP (update 9): "
            "(its text was removed by the retention purge)",
        ),
        (
            "update.edit", "update:9", DEMAND, {**DEMAND, "due_at": "2026-03-31 09:00:00+00:00"},
            "changed the due time of BTP's urgent demand (update 9) from "
            "Mon 30/03/2026 10:00 BST to Tue 31/03/2026 10:00 BST",
        ),
        (
            "attendance.set", "briefing:7:body:1", {"state": "absent", "by": "scheduler"},
            {"state": "nil", "source": "chair"},
            "marked BTP present with nothing to report at the briefing of 30/03/2026 (was absent)",
        ),
        (
            "attendance.set", "briefing:7:body:2", None, {"state": "apologies"},
            "recorded apologies from PSNI for the briefing of 30/03/2026",
        ),
        (
            "briefing.close", "briefing:7", {"status": "open"}, {"status": "closed"},
            "closed the briefing of 30/03/2026",
        ),
        (
            "roster.uninvite", "body:2", {"code": "PSNI", "from": "2026-01-01"},
            {"last_day": "2026-03-31"}, "ended PSNI's invitation after 31/03/2026",
        ),
        (
            "roster.member_remove", "user:UALICE", {"bodies": ["BTP", "PSNI"]}, None,
            "removed Slack user UALICE from BTP, PSNI",
        ),
        (
            "standdown.set", "date:2026-12-25", {"reason": "Holiday"}, {"reason": "Christmas"},
            "changed the reason for standing down the meeting of 25/12/2026 from “Holiday” to "
            "“Christmas”",
        ),
        (
            "standdown.cancel", "date:2026-12-25", {"reason": "Christmas"}, None,
            "put the meeting of 25/12/2026 back on (it had been stood down)",
        ),
        (
            "guidance.publish", "guidance:3", {"version": 2}, {"version": 3, "hash": "ab"},
            "published the guidance (version 3)",
        ),
        (
            "export.posted", "week:2026-W48", None, {"file_id": "F1", "filename": "dbm.xlsx"},
            "posted the attendance spreadsheet for 2026-W48 (dbm.xlsx)",
        ),
        (
            "reminder.sent", "briefing:7", None, {"bodies": ["BTP", "PSNI"], "people": 3},
            "sent the roll-call reminder to BTP, PSNI",
        ),
        (
            "export.retracted", "week:2026-W48", None, {"at": "2026-03-30T08:00:00+00:00"},
            "export.retracted on week:2026-W48: at: Mon 30/03/2026 09:00 BST",
        ),
        (
            "attendance.set", "briefing:broken", None, {"state": "present"},
            "attendance.set on briefing:broken: state: present",
        ),
    ],
)  # fmt: skip
def test_each_action_in_words(
    action: str,
    subject: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    expected: str,
) -> None:
    assert describe(action, subject, before, after, NAMES) == expected


def test_people_and_the_bot() -> None:
    assert NAMES.person("UALICE") == "Slack user UALICE, BTP"
    assert NAMES.person("UBOB") == "Slack user UBOB"
    assert NAMES.person("scheduler") == "the bot (on schedule)"
    named = Names({}, {}, {"UALICE": ("BTP", "LONDON")}, NAMES.zone, lambda u: "Alice (UALICE)")
    assert named.person("UALICE") == "Alice (UALICE), BTP/LONDON"


def test_values_in_words() -> None:
    assert show("occurs_at", "2026-07-01T22:40:00+00:00", NAMES) == "Wed 01/07/2026 23:40 BST"
    assert show("from", "2026-07-01", NAMES) == "01/07/2026"
    assert show("threats", ["FIREARMS", "DRUGS"], NAMES) == "FIREARMS, DRUGS"
    assert show("late", True, NAMES) == "yes" and show("location", None, NAMES) == "none"
    assert show("summary", "a\nb  " + "x" * 200, NAMES).startswith("“a b xxx")
    assert show_fields({"status": "withdrawn", "body_id": 9}, NAMES) == (
        "status: Withdrawn; body: body 9"
    )


@pytest.mark.parametrize(
    ("text", "valid"),
    [("update", True), ("update.edit", True), ("ROSTER", True), ("updates", False), ("", False)],
)
def test_valid_actions(text: str, valid: bool) -> None:
    assert valid_action(text) is valid
