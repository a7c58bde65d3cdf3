"""auth.*, team.*, chat.*, reactions.* and pins.* of the stand-in."""

from __future__ import annotations

import copy
from typing import Any

from standin.arguments import (
    _CONTENT,
    _flag,
    _present,
    _ts_key,
)
from standin.records import (
    _SlackError,
)
from standin.state import _BLOCKS_ONLY_TEXT, SlackState


class ChatMethods(SlackState):
    """Messages and what hangs off them."""

    # ---- auth / team ---------------------------------------------------------------

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": "dbm-bot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.socket_mode_url is None:  # the app's Socket Mode is off: no app token exists
            raise _SlackError("invalid_auth")
        return {"url": self.socket_mode_url}

    def _team_info(self, args: dict[str, Any]) -> dict[str, Any]:
        team_id = str(args.get("team") or self.team_id)
        icon = {
            f"image_{n}": f"https://avatars.example.invalid/{team_id}_{n}.png"
            for n in (34, 44, 68, 88, 102, 132, 230)
        }
        home = team_id == self.team_id
        return {
            "team": {
                "id": team_id,
                "name": self.team_name if home else f"Partner {team_id}",
                "domain": self.team_domain if home else team_id.lower(),
                "email_domain": "nca.gov.uk" if home else "",
                "icon": {**icon, "image_default": True},
                "avatar_base_url": "https://ca.slack-edge.com/",
                "is_verified": False,
            }
        }

    # ---- chat.* --------------------------------------------------------------------

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._post_target(str(args["channel"]))
        self._check_content(args)
        message = self._bot_message(args)
        self._attach_thread(channel, message, args.get("thread_ts"))
        if message.get("thread_ts") and _flag(args.get("reply_broadcast")):
            message["subtype"] = "thread_broadcast"
        self._messages.setdefault(channel, {})[message["ts"]] = message
        return {
            "channel": channel,
            "ts": message["ts"],
            "message": self._api_message(channel, message),
        }

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._post_target(str(args["channel"]))
        self._check_content(args)
        known = self._channels.get(channel)
        if known is not None and known.members is not None and args["user"] not in known.members:
            raise _SlackError("user_not_in_channel")
        return {"message_ts": self._new_ts()}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["ts"])
        if message.get("bot_id") != self.bot_id:
            raise _SlackError("cant_update_message")
        if not any(_present(args.get(k)) for k in (*_CONTENT, "metadata")) and "blocks" not in args:
            raise _SlackError("no_text")
        self._check_content(args)
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = copy.deepcopy(args[key])
        if "text" not in args and _present(args.get("blocks")):
            message["text"] = _BLOCKS_ONLY_TEXT if not message.get("text") else message["text"]
        message["edited"] = {"user": self.bot_user_id, "ts": self._new_ts()}
        return {
            "channel": channel,
            "ts": message["ts"],
            "text": message["text"],
            "message": self._api_message(channel, message),
        }

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["ts"])
        if message.get("bot_id") != self.bot_id:
            raise _SlackError("cant_delete_message")
        del self._messages[channel][message["ts"]]
        self._reactions.pop((channel, message["ts"]), None)
        if message["ts"] in self._pins.get(channel, []):
            self._pins[channel].remove(message["ts"])
        return {"channel": channel, "ts": message["ts"]}

    def _chat_get_permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["message_ts"])
        link = (
            f"https://{self.team_domain}.slack.com/archives/{channel}/"
            f"p{message['ts'].replace('.', '')}"
        )
        if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
            link += f"?thread_ts={message['thread_ts']}&cid={channel}"
        return {"channel": channel, "permalink": link}

    # ---- reactions / pins ----------------------------------------------------------

    def _reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["timestamp"])
        names = self._reactions.setdefault((channel, message["ts"]), {})
        users = names.setdefault(str(args["name"]), [])
        if self.bot_user_id in users:
            raise _SlackError("already_reacted")
        users.append(self.bot_user_id)
        return {}

    def _reactions_remove(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["timestamp"])
        names = self._reactions.get((channel, message["ts"]), {})
        users = names.get(str(args["name"]), [])
        if self.bot_user_id not in users:
            raise _SlackError("no_reaction")
        users.remove(self.bot_user_id)
        if not users:
            del names[str(args["name"])]
        return {}

    def _pins_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        message = self._find_message(channel, args["timestamp"])
        pinned = self._pins.setdefault(channel, [])
        if message["ts"] in pinned:
            raise _SlackError("already_pinned")
        pinned.append(message["ts"])
        return {}

    def _pins_remove(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        pinned = self._pins.get(channel, [])
        if str(args["timestamp"]) not in pinned:
            raise _SlackError("no_pin")
        pinned.remove(str(args["timestamp"]))
        return {}

    def _pins_list(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        items = [
            {
                "type": "message",
                "created": _ts_key(ts)[0],
                "created_by": self.bot_user_id,
                "channel": channel,
                "message": self._api_message(channel, self._messages[channel][ts]),
            }
            for ts in reversed(self._pins.get(channel, []))
        ]
        return {"items": items}
