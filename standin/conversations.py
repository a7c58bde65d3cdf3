"""conversations.*, users.* and usergroups.* of the stand-in."""

from __future__ import annotations

import copy
from typing import Any

from standin.arguments import (
    _USER_ID,
    _flag,
    _paginate,
    _present,
    _ts_key,
)
from standin.records import (
    _Channel,
    _SlackError,
)
from standin.state import SlackState


class ConversationMethods(SlackState):
    """Channels, DMs, history, threads, users and user groups."""

    # ---- conversations.* -----------------------------------------------------------

    def _conversation(self, channel_id: str, *, num_members: bool = False) -> dict[str, Any]:
        user = next((u for u, d in self._dms.items() if d == channel_id), None)
        if channel_id.startswith("D"):
            if user is None:
                raise _SlackError("channel_not_found")
            return self._im_object(channel_id, user)
        known = self._channels.get(channel_id) or _Channel(
            channel_id, f"private-{channel_id.lower()}", True, False, None, None
        )
        legacy_group = channel_id.startswith("G")
        shared = known.is_ext_shared or bool(known.connected_team_ids)
        conversation: dict[str, Any] = {
            "id": channel_id,
            "name": known.name,
            "name_normalized": known.name,
            "is_channel": not legacy_group,
            "is_group": legacy_group,
            "is_im": False,
            "is_mpim": False,
            "is_private": known.is_private,
            "created": 1_700_000_000,
            "creator": "U0DBMADMIN",
            "is_archived": False,
            "is_general": False,
            "unlinked": 0,
            "is_shared": shared,
            "is_ext_shared": known.is_ext_shared,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": self.team_id,
            "shared_team_ids": [self.team_id],
            "parent_conversation": None,
            "is_member": True,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "previous_names": [],
        }
        if known.connected_team_ids is not None:
            conversation["connected_team_ids"] = list(known.connected_team_ids)
        if num_members:
            conversation["num_members"] = len(self._members(channel_id))
        return conversation

    def _im_object(self, channel_id: str, user: str) -> dict[str, Any]:
        return {
            "id": channel_id,
            "created": 1_700_000_000,
            "is_im": True,
            "is_org_shared": False,
            "user": user,
            "priority": 0,
            "is_user_deleted": False,
            "context_team_id": self.team_id,
        }

    def _members(self, channel_id: str) -> list[str]:
        known = self._channels.get(channel_id)
        if known is None or known.members is None:
            return [self.bot_user_id]
        return list(known.members)

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        return {
            "channel": self._conversation(
                channel, num_members=_flag(args.get("include_num_members"))
            )
        }

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        page, cursor = _paginate(self._members(channel), args)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        inclusive = _flag(args.get("inclusive"))
        oldest = _ts_key(str(args.get("oldest") or "0"))
        latest = _ts_key(str(args["latest"])) if args.get("latest") else None

        def wanted(m: dict[str, Any]) -> bool:
            top_level = (
                m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
            )
            key = _ts_key(m["ts"])
            after = key >= oldest if inclusive else key > oldest
            before = latest is None or (key <= latest if inclusive else key < latest)
            return top_level and after and before

        newest_first = [m for m in reversed(self._sorted(channel)) if wanted(m)]
        page, cursor = _paginate(newest_first, args)
        metadata = _flag(args.get("include_all_metadata"))
        result: dict[str, Any] = {
            "messages": [self._api_message(channel, m, metadata=metadata) for m in page],
            "has_more": bool(cursor),
            "pin_count": len(self._pins.get(channel, [])),
            "channel_actions_ts": None,
            "channel_actions_count": 0,
        }
        if cursor:
            result["response_metadata"] = {"next_cursor": cursor}
        return result

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(args)
        anchor = self._messages.get(channel, {}).get(str(args["ts"]))
        if anchor is None:
            raise _SlackError("thread_not_found")
        root = anchor.get("thread_ts") or anchor["ts"]
        thread = [m for m in self._sorted(channel) if m["ts"] == root or m.get("thread_ts") == root]
        page, cursor = _paginate(thread, args, default=1000)
        metadata = _flag(args.get("include_all_metadata"))
        result: dict[str, Any] = {
            "messages": [self._api_message(channel, m, metadata=metadata) for m in page],
            "has_more": bool(cursor),
        }
        if cursor:
            result["response_metadata"] = {"next_cursor": cursor}
        return result

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if _present(args.get("channel")) and not _present(args.get("users")):
            channel = self._channel_id(args)
            return {"channel": self._conversation(channel)}
        users = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
        if len(users) > 8:
            raise _SlackError("too_many_users")
        if any(not _USER_ID.fullmatch(u) for u in users):
            raise _SlackError("user_not_found")
        if len(users) > 1:
            raise _SlackError("method_not_supported_for_channel_type")  # MPIMs: not faked
        already = users[0] in self._dms
        channel = self._dm_for(users[0])
        result: dict[str, Any] = {"channel": {"id": channel}}
        if _flag(args.get("return_im")):
            result["channel"] = self._im_object(channel, users[0])
        if already:
            result.update(no_op=True, already_open=True)
        return result

    # ---- users / usergroups --------------------------------------------------------

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(str(args["user"]))
        if user is None:
            raise _SlackError("user_not_found")
        return {"user": copy.deepcopy(user)}

    def _usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        users = self._usergroups.get(str(args["usergroup"]))
        if users is None:
            raise _SlackError("no_such_subteam")
        return {"users": list(users)}
