"""What the simulated people can do, each through the same HTTP endpoint Slack would use."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from blocks.briefing import is_header_of
from blocks.ids import ActionId
from meeting.demands import open_demands
from standin import Call, FakeSlack
from storage.db import session_scope

from .cast import Body, Person
from .slack_requests import SlackRequest, button_press, message_event, slash_command
from .stage import CHAIR, CHANNEL, Stage
from .transcript import Transcript

BUTTONS = {
    ActionId.ROLL_PRESENT: "Present",
    ActionId.ROLL_NIL: "Present, nothing to report",
    ActionId.ROLL_APOLOGIES: "Send apologies",
    ActionId.DEMAND_RENEW: "Still needed",
    ActionId.DEMAND_MET: "Met",
    ActionId.DEMAND_WITHDRAW: "No longer needed",
    ActionId.DEMAND_REOPEN: "Reopen",
}
# What becomes of each urgent demand the week carries, in the order they are first asked about:
# still needed at the first question and met at the next; met; left unanswered until it
# lapses; no longer needed.
FATES = ("renew, then met", "met", "left to lapse", "no longer needed")


def header_ts(fake: FakeSlack, day: date) -> str | None:
    """The ts of the day's briefing header, as a participant would find it in the channel."""
    for message in fake.messages(CHANNEL):
        if is_header_of(message, day):
            return str(message["ts"])
    return None


def _chair_command(text: str, response_url: str) -> SlackRequest:
    return slash_command(text, user=CHAIR, channel=CHANNEL, response_url=response_url)


class Scene:
    """The stage, the transcript and the acknowledgement times of every request sent."""

    def __init__(self, stage: Stage, transcript: Transcript, bodies: list[Body]):
        self.stage, self.transcript, self.bodies = stage, transcript, bodies
        self.acks: list[tuple[int, float]] = []
        self.fates: dict[str, str] = {}  # demand id -> its fate (FATES)
        self.answered: set[str] = set()  # the ts of the questions already answered

    def chair(self, text: str) -> list[Call]:
        """The chair types `/dbm <text>` in the channel; the private replies."""
        self.transcript.act(f"@chair: /dbm {text}")
        reply = self.stage.send_with_replies(partial(_chair_command, text))
        self.acks.append((reply.status, reply.seconds))
        self.transcript.flush(actor="@chair")
        return reply.replies

    def command(self, person: Person, text: str) -> None:
        """A participant (or a visitor) types `/dbm <text>` in the channel."""
        self.transcript.act(f"@{person.handle}: /dbm {text}")
        reply = self.stage.send_with_replies(
            lambda url: slash_command(text, user=person.user_id, channel=CHANNEL, response_url=url)
        )
        self.acks.append((reply.status, reply.seconds))
        self.transcript.flush(actor=f"@{person.handle}")

    def press_on(
        self, person: Person, message: dict[str, Any], channel: str, action: ActionId
    ) -> None:
        """`person` presses a button (`action`) on a message the bot sent (a DM, a reply)."""
        value = next(
            str(e.get("value", ""))
            for b in message.get("blocks") or []
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == action
        )
        self.transcript.act(f"@{person.handle} presses [{BUTTONS[action]}]")
        reply = self.stage.send_with_replies(
            lambda url: button_press(
                user=person.user_id, action_id=action, channel=channel,
                message_ts=str(message.get("ts") or "0"), response_url=url, value=value,
                block_id="dbm_demand",
            )
        )  # fmt: skip
        self.acks.append((reply.status, reply.seconds))
        self.transcript.flush(actor=f"@{person.handle}")

    def answer_prompts(self) -> None:
        """Each person asked this morning whether their demand is still needed answers, or
        does not, as the demand's fate for the week says."""
        for person in (p for body in self.bodies for p in body.people):
            opened = self.stage.client.conversations_open(users=person.user_id)
            channel = str(opened["channel"]["id"])
            for message in self.stage.fake.messages(channel):
                action = self._answer(message)
                if action is not None:
                    self.answered.add(str(message["ts"]))
                    self.press_on(person, message, channel, action)

    def _answer(self, message: dict[str, Any]) -> ActionId | None:
        renew = [
            str(e.get("value"))
            for b in message.get("blocks") or []
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == ActionId.DEMAND_RENEW
        ]
        if not renew or str(message["ts"]) in self.answered:
            return None
        first = renew[0] not in self.fates
        fate = self.fates.setdefault(renew[0], FATES[len(self.fates) % len(FATES)])
        if fate == "renew, then met":
            return ActionId.DEMAND_RENEW if first else ActionId.DEMAND_MET
        actions = {"met": ActionId.DEMAND_MET, "no longer needed": ActionId.DEMAND_WITHDRAW}
        return actions.get(fate)

    def raiser_lists_demands(self) -> None:
        """The raiser of the oldest open demand lists the open demands (buttons on theirs)."""
        today = self.stage.clock().astimezone(self.stage.settings.meeting.timezone).date()
        with session_scope(self.stage.engine) as session:
            oldest = open_demands(session=session, today=today, limit=1)
        people = {p.user_id: p for body in self.bodies for p in body.people}
        if oldest and oldest[0].author_id in people:
            self.command(people[oldest[0].author_id], "demands")

    def reopen_first_lapsed(self) -> None:
        """The chair lists the lapsed demands and reopens the first one."""
        replies = self.chair("demands lapsed")
        for reply in replies:
            message = {"ts": "0", "blocks": reply.args.get("blocks") or []}
            if ActionId.DEMAND_REOPEN in str(message["blocks"]):
                chair = Person(CHAIR, "chair", "NCA Chair", "")
                self.press_on(chair, message, CHANNEL, ActionId.DEMAND_REOPEN)
                return

    def map_members(self) -> None:
        """The chair maps every simulated person to their body with `/dbm member`."""
        people = [person for body in self.bodies for person in body.people]
        for index, person in enumerate(people):
            command = f"member <@{person.user_id}|{person.handle}> {person.code}"
            if index < 2:
                self.chair(command)
                continue
            reply = self.stage.send_with_replies(partial(_chair_command, command))
            self.acks.append((reply.status, reply.seconds))
        self.transcript.skip_pending()
        self.transcript.say(
            f"      … and {len(people) - 2} more people mapped the same way "
            f"({len(people)} people for {len(self.bodies)} bodies), each sent the guidance by DM"
        )

    def press(self, person: Person, action: ActionId, day: date) -> None:
        """`person` presses a roll-call button on the day's briefing header."""
        ts = header_ts(self.stage.fake, day)
        if ts is None:
            return
        self.transcript.act(f"@{person.handle} presses [{BUTTONS[action]}]")
        reply = self.stage.send_with_replies(
            lambda url: button_press(
                user=person.user_id, action_id=action, channel=CHANNEL, message_ts=ts,
                response_url=url,
            )
        )  # fmt: skip
        self.acks.append((reply.status, reply.seconds))
        self.transcript.flush(actor=f"@{person.handle}")

    def reply(self, person: Person, text: str, day: date, *, in_thread: bool = True) -> None:
        """`person` posts a message: a reply in the day's thread (or, wrongly, in the channel)."""
        thread = header_ts(self.stage.fake, day)
        if thread is None:
            return
        where = "in the thread" if in_thread else "in the channel (not the thread)"
        self.transcript.act(f"@{person.handle} {where}: {text}")
        thread_ts = thread if in_thread else None
        ts = self.stage.fake.add_message(
            CHANNEL, user=person.user_id, text=text, thread_ts=thread_ts
        )
        event = message_event(
            user=person.user_id, channel=CHANNEL, text=text, ts=ts, thread_ts=thread_ts
        )
        self.acks.append(self.stage.send(event))
        self.transcript.flush(actor=f"@{person.handle}")
