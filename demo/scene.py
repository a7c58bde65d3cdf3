"""What the simulated people can do, each through the same HTTP endpoint Slack would use."""

from __future__ import annotations

from datetime import date
from functools import partial

from blocks.briefing import is_header_of
from blocks.ids import ActionId
from standin import FakeSlack

from .cast import Body, Person
from .slack_requests import SlackRequest, button_press, message_event, slash_command
from .stage import CHAIR, CHANNEL, Stage
from .transcript import Transcript

BUTTONS = {
    ActionId.ROLL_PRESENT: "Present",
    ActionId.ROLL_NIL: "Present, nothing to report",
    ActionId.ROLL_APOLOGIES: "Send apologies",
}


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

    def chair(self, text: str) -> None:
        """The chair types `/dbm <text>` in the channel."""
        self.transcript.act(f"@chair: /dbm {text}")
        reply = self.stage.send_with_replies(partial(_chair_command, text))
        self.acks.append((reply.status, reply.seconds))
        self.transcript.flush(actor="@chair")

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
