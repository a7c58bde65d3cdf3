"""Tests of the Slack stand-in (standin), driven through a real slack_sdk WebClient."""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from standin import REQUIRED_ARGS, FakeSlack, validate_blocks, validate_view

pytestmark = pytest.mark.pure  # no database: the PostgreSQL pass skips it

SHARED = Path(__file__).resolve().parents[3] / "shared"
SPECS = SHARED / "slack-specs"
OPENAPI = SPECS / "web-api" / "slack_web_openapi_v2_without_examples.json"
SAMPLES = SPECS / "java-slack-sdk-samples" / "api"
needs_specs = pytest.mark.skipif(
    not OPENAPI.is_file(),
    reason=f"Slack specs not found at {SPECS} (the shared/ folder next to the repo is absent)",
)

CHANNEL = "C0DBM00001"
MODAL: dict[str, Any] = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "Record attendance"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}],
}
HOME: dict[str, Any] = {
    "type": "home",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Welcome"}}],
}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A running fake with default IDs."""
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    """A real slack_sdk client pointed at the fake."""
    return WebClient(token="xoxb-test", base_url=fake.base_url)


def _error_of(call: Any, *args: Any, **kwargs: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        call(*args, **kwargs)
    return info.value


def _raw_post(
    url: str, body: bytes, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


# ---- server basics ------------------------------------------------------------------


def test_urls_point_at_an_ephemeral_local_port(fake: FakeSlack) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", fake.root_url)
    assert fake.base_url == fake.root_url + "/api/"
    assert fake.response_url("abc") == fake.root_url + "/response/abc"


def test_not_started_has_no_url() -> None:
    with pytest.raises(RuntimeError):
        _ = FakeSlack().base_url


def test_two_fakes_run_side_by_side() -> None:
    with FakeSlack(team_id="T0AAA") as one, FakeSlack(team_id="T0BBB") as two:
        assert one.root_url != two.root_url
        reply = WebClient(token="xoxb-x", base_url=two.base_url).auth_test()
        assert reply["team_id"] == "T0BBB"


def test_auth_test_reports_bot_identity(client: WebClient) -> None:
    reply = client.auth_test()
    assert reply["user_id"] == "UBOT"
    assert reply["bot_id"] == "BBOT"
    assert reply["team_id"] == "T0DBM"
    assert reply["url"].startswith("https://")


def test_team_info(client: WebClient) -> None:
    team = client.team_info()["team"]
    assert team["id"] == "T0DBM"
    assert team["domain"] and team["name"] and "image_default" in team["icon"]


def test_unknown_method(client: WebClient) -> None:
    error = _error_of(client.api_call, "reminders.add", params={"text": "x", "time": "1"})
    assert error.response["error"] == "unknown_method"


def test_unknown_path_is_404(fake: FakeSlack) -> None:
    status, _, _ = _raw_post(fake.root_url + "/elsewhere", b"")
    assert status == 404


# ---- auth -------------------------------------------------------------------------


def test_missing_token_is_not_authed(fake: FakeSlack) -> None:
    anonymous = WebClient(base_url=fake.base_url)
    assert _error_of(anonymous.auth_test).response["error"] == "not_authed"


@pytest.mark.parametrize("token", ["xapp-1-abc", "bogus", "xoxa-2-abc"])
def test_bad_token_is_invalid_auth(fake: FakeSlack, token: str) -> None:
    bad = WebClient(token=token, base_url=fake.base_url)
    assert _error_of(bad.auth_test).response["error"] == "invalid_auth"


def test_apps_connections_open_takes_only_the_app_token(fake: FakeSlack) -> None:
    app = WebClient(token="xapp-1-abc", base_url=fake.base_url)
    assert _error_of(app.apps_connections_open, app_token="xapp-1-abc").response["error"] == (
        "invalid_auth"  # Socket Mode is off until a test serves it
    )
    fake.socket_mode_url = "ws://127.0.0.1:9/link/?ticket=t"
    assert app.apps_connections_open(app_token="xapp-1-abc")["url"] == fake.socket_mode_url
    bot = WebClient(token="xoxb-1", base_url=fake.base_url)
    assert _error_of(bot.apps_connections_open, app_token="xoxb-1").response["error"] == (
        "not_allowed_token_type"
    )


def test_user_token_is_accepted(fake: FakeSlack) -> None:
    assert WebClient(token="xoxp-user", base_url=fake.base_url).auth_test()["ok"]


def test_token_as_form_arg(fake: FakeSlack) -> None:
    status, _, body = _raw_post(
        fake.base_url + "auth.test",
        b"token=xoxb-form",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and json.loads(body)["ok"] is True
    assert fake.calls[-1].token == "xoxb-form"
    assert "token" not in fake.calls[-1].args


def test_token_inside_json_body_is_ignored_like_slack(fake: FakeSlack) -> None:
    _, _, body = _raw_post(
        fake.base_url + "auth.test",
        json.dumps({"token": "xoxb-json"}).encode(),
        {"Content-Type": "application/json"},
    )
    assert json.loads(body)["error"] == "not_authed"


def test_get_with_query_string(fake: FakeSlack) -> None:
    url = f"{fake.base_url}conversations.info?channel={CHANNEL}"
    request = urllib.request.Request(url, headers={"Authorization": "Bearer xoxb-test"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["channel"]["id"] == CHANNEL


def test_invalid_json_body(fake: FakeSlack) -> None:
    headers = {"Content-Type": "application/json", "Authorization": "Bearer xoxb-test"}
    _, _, body = _raw_post(fake.base_url + "auth.test", b"{nope", headers)
    assert json.loads(body)["error"] == "invalid_json"
    _, _, body = _raw_post(fake.base_url + "auth.test", b"[1]", headers)
    assert json.loads(body)["error"] == "json_not_object"


# ---- recording ----------------------------------------------------------------------


def test_calls_are_recorded_with_decoded_json_args(fake: FakeSlack, client: WebClient) -> None:
    blocks = [_section("*Agenda*")]
    client.chat_postMessage(channel=CHANNEL, text="Agenda", blocks=blocks)
    client.api_call(
        "chat.postMessage",
        params={"channel": CHANNEL, "text": "x", "blocks": json.dumps(blocks)},
    )
    first, second = fake.calls_to("chat.postMessage")
    assert first.args["blocks"] == blocks and second.args["blocks"] == blocks
    assert first.token == "xoxb-test"
    assert [c.method for c in fake.calls] == ["chat.postMessage", "chat.postMessage"]


def test_calls_is_a_copy_and_reset_clears(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    snapshot = fake.calls
    snapshot.clear()
    assert len(fake.calls) == 1
    fake.reset_calls()
    assert fake.calls == []


def test_wait_for_returns_calls_made_from_another_thread(
    fake: FakeSlack, client: WebClient
) -> None:
    def post_three() -> None:
        for n in range(3):
            client.chat_postMessage(channel=CHANNEL, text=f"item {n}")

    worker = threading.Thread(target=post_three)
    worker.start()
    calls = fake.wait_for("chat.postMessage", count=3)
    worker.join()
    assert [c.args["text"] for c in calls] == ["item 0", "item 1", "item 2"]


def test_wait_for_blocks_until_the_call_arrives(fake: FakeSlack, client: WebClient) -> None:
    results: list[int] = []
    waiter = threading.Thread(target=lambda: results.append(len(fake.wait_for("pins.list"))))
    waiter.start()
    client.pins_list(channel=CHANNEL)
    waiter.join()
    assert results == [1]


def test_wait_for_timeout_lists_calls_so_far(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    with pytest.raises(AssertionError, match=r"views\.open.*auth\.test"):
        fake.wait_for("views.open", timeout=0.05)


# ---- failure injection --------------------------------------------------------------


def test_fail_answers_error_then_recovers(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.postMessage", "is_archived", times=2)
    for _ in range(2):
        error = _error_of(client.chat_postMessage, channel=CHANNEL, text="x")
        assert error.response.status_code == 200
        assert error.response["error"] == "is_archived"
    assert client.chat_postMessage(channel=CHANNEL, text="x")["ok"]
    assert len(fake.calls_to("chat.postMessage")) == 3


def test_fail_is_per_method(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.update", "cant_update_message")
    assert client.chat_postMessage(channel=CHANNEL, text="x")["ok"]


def test_rate_limit_without_retry_handler(fake: FakeSlack, client: WebClient) -> None:
    fake.rate_limit("conversations.history", retry_after=7)
    error = _error_of(client.conversations_history, channel=CHANNEL)
    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "7"
    assert error.response["error"] == "ratelimited"


def test_rate_limit_retried_by_slack_sdk_handler(fake: FakeSlack) -> None:
    retrying = WebClient(
        token="xoxb-test",
        base_url=fake.base_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.rate_limit("chat.postMessage", retry_after=0)
    reply = retrying.chat_postMessage(channel=CHANNEL, text="after the wait")
    assert reply["ok"]
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert len(fake.messages(CHANNEL)) == 1


def test_server_error_then_retry(fake: FakeSlack, client: WebClient) -> None:
    fake.server_error("users.info", status=500)
    error = _error_of(client.users_info, user="UBOT")
    assert error.response.status_code == 500
    retrying = WebClient(
        token="xoxb-test",
        base_url=fake.base_url,
        retry_handlers=[
            ServerErrorRetryHandler(
                max_retry_count=1,
                interval_calculator=FixedValueRetryIntervalCalculator(fixed_internal=0),
            )
        ],
    )
    fake.server_error("users.info")
    assert retrying.users_info(user="UBOT")["user"]["is_bot"] is True


def test_injections_queue_in_order(fake: FakeSlack, client: WebClient) -> None:
    fake.server_error("auth.test")
    fake.fail("auth.test", "account_inactive")
    assert _error_of(client.auth_test).response.status_code == 503
    assert _error_of(client.auth_test).response["error"] == "account_inactive"
    assert client.auth_test()["ok"]


# ---- chat.* ------------------------------------------------------------------------


def test_post_message_response_shape(fake: FakeSlack, client: WebClient) -> None:
    metadata = {"event_type": "dbm_agenda", "event_payload": {"meeting": "2025-11-21"}}
    blocks = [_section("*Agenda*")]
    reply = client.chat_postMessage(
        channel=CHANNEL, text="Agenda", blocks=blocks, metadata=metadata
    )
    assert reply["channel"] == CHANNEL
    message = reply["message"]
    assert message["ts"] == reply["ts"]
    assert message["text"] == "Agenda" and message["blocks"] == blocks
    assert message["user"] == "UBOT" and message["bot_id"] == "BBOT"
    assert message["metadata"] == metadata
    assert message["bot_profile"]["id"] == "BBOT"
    assert "thread_ts" not in message


def test_thread_reply_carries_thread_ts(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="parent")["ts"]
    reply = client.chat_postMessage(channel=CHANNEL, text="child", thread_ts=parent)
    assert reply["message"]["thread_ts"] == parent
    assert reply["message"]["parent_user_id"] == "UBOT"
    assert [m["text"] for m in fake.replies(CHANNEL, parent)] == ["parent", "child"]


def test_ts_are_slack_shaped_and_strictly_increasing(fake: FakeSlack, client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel=CHANNEL, text=str(n))["ts"] for n in range(3)]
    stamps.append(fake.add_message(CHANNEL, user="U0ALICE", text="human"))
    stamps.append(
        client.chat_postEphemeral(channel=CHANNEL, user="U0ALICE", text="e")["message_ts"]
    )
    stamps.append(client.chat_postMessage(channel="C0OTHER01", text="x")["ts"])
    assert stamps[0] == "1763700000.000100"
    assert all(re.fullmatch(r"\d{10}\.\d{6}", ts) for ts in stamps)
    as_numbers = [(int(s.split(".")[0]), int(s.split(".")[1])) for s in stamps]
    assert as_numbers == sorted(set(as_numbers))


def test_messages_reflect_update_and_delete(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel=CHANNEL, text="one")["ts"]
    second = client.chat_postMessage(channel=CHANNEL, text="two")["ts"]
    fake.add_message(CHANNEL, user="U0ALICE", text="not the bot's")
    updated = client.chat_update(channel=CHANNEL, ts=first, text="one (edited)")
    assert updated["text"] == "one (edited)" and updated["ts"] == first
    client.chat_delete(channel=CHANNEL, ts=second)
    messages = fake.messages(CHANNEL)
    assert [m["text"] for m in messages] == ["one (edited)"]
    assert messages[0]["user"] == "UBOT" and messages[0]["bot_id"] == "BBOT"
    assert messages[0]["blocks"] == []


def test_update_keeps_fields_not_sent(fake: FakeSlack, client: WebClient) -> None:
    blocks = [_section("v1")]
    ts = client.chat_postMessage(channel=CHANNEL, text="v1", blocks=blocks)["ts"]
    client.chat_update(channel=CHANNEL, ts=ts, text="v2")
    assert fake.messages(CHANNEL)[0]["blocks"] == blocks
    with pytest.warns(UserWarning, match="text"):
        client.chat_update(channel=CHANNEL, ts=ts, blocks=[])
    assert fake.messages(CHANNEL)[0]["blocks"] == []


def test_update_and_delete_errors(fake: FakeSlack, client: WebClient) -> None:
    human = fake.add_message(CHANNEL, user="U0ALICE", text="mine")
    error = _error_of(client.chat_update, channel=CHANNEL, ts=human, text="x")
    assert error.response["error"] == "cant_update_message"
    error = _error_of(client.chat_delete, channel=CHANNEL, ts=human)
    assert error.response["error"] == "cant_delete_message"
    error = _error_of(client.chat_update, channel=CHANNEL, ts="1763700099.000100", text="x")
    assert error.response["error"] == "message_not_found"
    ts = client.chat_postMessage(channel=CHANNEL, text="x")["ts"]
    with pytest.warns(UserWarning, match="text"):
        no_text = _error_of(client.chat_update, channel=CHANNEL, ts=ts)
    assert no_text.response["error"] == "no_text"


def test_blocks_only_message_gets_slack_fallback_text(fake: FakeSlack, client: WebClient) -> None:
    with pytest.warns(UserWarning):
        reply = client.chat_postMessage(channel=CHANNEL, blocks=[_section("hi")])
    assert reply["message"]["text"] == "This content can't be displayed."


def test_post_to_user_id_lands_in_dm(fake: FakeSlack, client: WebClient) -> None:
    reply = client.chat_postMessage(channel="U0ALICE", text="your action")
    dm = client.conversations_open(users="U0ALICE")["channel"]["id"]
    assert reply["channel"] == dm and dm.startswith("D")
    assert [m["text"] for m in fake.messages(dm)] == ["your action"]


def test_post_by_channel_name(fake: FakeSlack, client: WebClient) -> None:
    fake.set_channel(CHANNEL, name="dbm-national")
    assert client.chat_postMessage(channel="#dbm-national", text="x")["channel"] == CHANNEL
    error = _error_of(client.chat_postMessage, channel="#nowhere", text="x")
    assert error.response["error"] == "channel_not_found"


def test_message_text_limit(client: WebClient) -> None:
    assert client.chat_postMessage(channel=CHANNEL, text="x" * 40_000)["ok"]
    error = _error_of(client.chat_postMessage, channel=CHANNEL, text="x" * 40_001)
    assert error.response["error"] == "msg_too_long"


def test_invalid_blocks_are_rejected_with_pointers(client: WebClient) -> None:
    blocks = [_section("x" * 3001)]
    error = _error_of(client.chat_postMessage, channel=CHANNEL, text="x", blocks=blocks)
    assert error.response["error"] == "invalid_blocks"
    assert error.response["errors"] == [
        "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    ]
    assert error.response["response_metadata"]["messages"][0].startswith("[ERROR] ")


def test_too_many_blocks_in_a_message(client: WebClient) -> None:
    blocks = [{"type": "divider"}] * 51
    error = _error_of(client.chat_postMessage, channel=CHANNEL, text="x", blocks=blocks)
    assert error.response["error"] == "invalid_blocks"
    assert client.chat_postMessage(channel=CHANNEL, text="x", blocks=blocks[:50])["ok"]


def test_malformed_blocks_and_metadata(client: WebClient) -> None:
    params = {"channel": CHANNEL, "text": "x", "blocks": "{not json"}
    error = _error_of(client.api_call, "chat.postMessage", params=params)
    assert error.response["error"] == "invalid_blocks_format"
    error = _error_of(client.chat_postMessage, channel=CHANNEL, text="x", metadata={"a": 1})
    assert error.response["error"] == "invalid_metadata_schema"


def test_too_many_attachments(client: WebClient) -> None:
    attachments = [{"fallback": "f", "text": "t"}] * 101
    error = _error_of(client.chat_postMessage, channel=CHANNEL, text="x", attachments=attachments)
    assert error.response["error"] == "too_many_attachments"


def test_post_ephemeral(fake: FakeSlack, client: WebClient) -> None:
    reply = client.chat_postEphemeral(channel=CHANNEL, user="U0ALICE", text="only you")
    assert re.fullmatch(r"\d{10}\.\d{6}", reply["message_ts"])
    assert fake.messages(CHANNEL) == []
    fake.set_channel(CHANNEL, members=["UBOT", "U0ALICE"])
    error = _error_of(client.chat_postEphemeral, channel=CHANNEL, user="U0BOB", text="x")
    assert error.response["error"] == "user_not_in_channel"


def test_get_permalink(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="p")["ts"]
    child = client.chat_postMessage(channel=CHANNEL, text="c", thread_ts=parent)["ts"]
    link = client.chat_getPermalink(channel=CHANNEL, message_ts=parent)["permalink"]
    assert link.endswith(f"/archives/{CHANNEL}/p{parent.replace('.', '')}")
    child_link = client.chat_getPermalink(channel=CHANNEL, message_ts=child)["permalink"]
    assert f"thread_ts={parent}" in child_link
    error = _error_of(client.chat_getPermalink, channel=CHANNEL, message_ts="1763700099.000100")
    assert error.response["error"] == "message_not_found"


# ---- required arguments ---------------------------------------------------------------

MISSING_ARG_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("chat.postMessage", {"text": "x"}, "channel_not_found"),
    ("chat.postMessage", {"channel": CHANNEL}, "no_text"),
    ("chat.postEphemeral", {"channel": CHANNEL, "text": "x"}, "invalid_arguments"),
    ("chat.postEphemeral", {"channel": CHANNEL, "user": "U0A"}, "no_text"),
    ("chat.update", {"channel": CHANNEL, "text": "x"}, "invalid_arguments"),
    ("chat.update", {"ts": "1763700000.000100", "text": "x"}, "channel_not_found"),
    ("chat.delete", {"channel": CHANNEL}, "invalid_arguments"),
    ("chat.getPermalink", {"channel": CHANNEL}, "invalid_arguments"),
    ("conversations.info", {}, "channel_not_found"),
    ("conversations.members", {}, "channel_not_found"),
    ("conversations.history", {}, "channel_not_found"),
    ("conversations.replies", {"channel": CHANNEL}, "invalid_arguments"),
    ("conversations.open", {}, "users_list_not_supplied"),
    ("users.info", {}, "invalid_arguments"),
    ("usergroups.users.list", {}, "invalid_arguments"),
    ("reactions.add", {"channel": CHANNEL, "timestamp": "1763700000.000100"}, "invalid_arguments"),
    ("reactions.add", {"channel": CHANNEL, "name": "eyes"}, "no_item_specified"),
    ("reactions.remove", {"name": "eyes", "timestamp": "1.1"}, "no_item_specified"),
    ("pins.add", {"channel": CHANNEL}, "no_item_specified"),
    ("pins.add", {"timestamp": "1763700000.000100"}, "channel_not_found"),
    ("pins.remove", {"channel": CHANNEL}, "no_item_specified"),
    ("pins.list", {}, "channel_not_found"),
    ("views.open", {"view": MODAL}, "invalid_arguments"),
    ("views.open", {"trigger_id": "1.2.abc"}, "invalid_arguments"),
    ("views.push", {"view": MODAL}, "invalid_arguments"),
    ("views.update", {"view": MODAL}, "invalid_arguments"),
    ("views.update", {"view_id": "V0DBM000001"}, "invalid_arguments"),
    ("views.publish", {"view": HOME}, "invalid_arguments"),
    ("views.publish", {"user_id": "U0A"}, "invalid_arguments"),
    ("files.getUploadURLExternal", {"filename": "x.xlsx"}, "invalid_arguments"),
    ("files.completeUploadExternal", {"channel_id": CHANNEL}, "invalid_arguments"),
]


@pytest.mark.parametrize(("method", "args", "expected"), MISSING_ARG_CASES)
def test_missing_required_args(
    client: WebClient, method: str, args: dict[str, Any], expected: str
) -> None:
    error = _error_of(client.api_call, method, json=args)
    assert error.response["error"] == expected
    if expected == "invalid_arguments":
        assert error.response["response_metadata"]["messages"][0].startswith("[ERROR] missing")


def test_every_answered_method_has_a_required_args_entry(fake: FakeSlack) -> None:
    assert set(fake._handlers) == set(REQUIRED_ARGS)


# ---- conversations.* ------------------------------------------------------------------


def test_conversations_info_defaults_to_plain_private_channel(client: WebClient) -> None:
    channel = client.conversations_info(channel=CHANNEL)["channel"]
    assert channel["id"] == CHANNEL
    assert channel["is_private"] is True
    assert channel["is_ext_shared"] is False and channel["is_shared"] is False
    assert "connected_team_ids" not in channel


def test_conversations_info_for_slack_connect_channel(fake: FakeSlack, client: WebClient) -> None:
    fake.set_channel(
        CHANNEL,
        name="dbm-partners",
        is_private=False,
        is_ext_shared=True,
        connected_team_ids=["T0DBM", "T0PARTNER"],
        members=["UBOT", "U0A", "U0B"],
    )
    channel = client.conversations_info(channel=CHANNEL, include_num_members=True)["channel"]
    assert channel["name"] == "dbm-partners"
    assert channel["is_private"] is False
    assert channel["is_ext_shared"] is True and channel["is_shared"] is True
    assert channel["connected_team_ids"] == ["T0DBM", "T0PARTNER"]
    assert channel["num_members"] == 3


def test_conversations_info_unknown_ids(client: WebClient) -> None:
    assert _error_of(client.conversations_info, channel="dbm").response["error"] == (
        "channel_not_found"
    )
    assert _error_of(client.conversations_info, channel="D0NOPE0001").response["error"] == (
        "channel_not_found"
    )


def test_conversations_members_paginates(fake: FakeSlack, client: WebClient) -> None:
    fake.set_channel(CHANNEL, members=["UBOT", "U0A", "U0B", "U0C", "U0D"])
    first = client.conversations_members(channel=CHANNEL, limit=2)
    assert first["members"] == ["UBOT", "U0A"]
    cursor = first["response_metadata"]["next_cursor"]
    assert cursor
    every = [
        m
        for page in client.conversations_members(channel=CHANNEL, limit=2)
        for m in page["members"]
    ]
    assert every == ["UBOT", "U0A", "U0B", "U0C", "U0D"]
    bad = _error_of(client.conversations_members, channel=CHANNEL, cursor="!!")
    assert bad.response["error"] == "invalid_cursor"


def test_conversations_members_default_is_the_bot(client: WebClient) -> None:
    reply = client.conversations_members(channel=CHANNEL)
    assert reply["members"] == ["UBOT"]
    assert reply["response_metadata"]["next_cursor"] == ""


def test_history_newest_first_with_threads_and_seeded_messages(
    fake: FakeSlack, client: WebClient
) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="agenda")["ts"]
    fake.add_message(CHANNEL, user="U0ALICE", text="reply", thread_ts=parent)
    later = fake.add_message(CHANNEL, user="U0BOB", text="top level")
    history = client.conversations_history(channel=CHANNEL)
    assert [m["ts"] for m in history["messages"]] == [later, parent]
    root = history["messages"][1]
    assert root["reply_count"] == 1 and root["reply_users"] == ["U0ALICE"]
    assert history["has_more"] is False
    oldest = client.conversations_history(channel=CHANNEL, oldest=parent)["messages"]
    assert [m["ts"] for m in oldest] == [later]


def test_history_metadata_only_when_asked(client: WebClient) -> None:
    metadata = {"event_type": "dbm_item", "event_payload": {"id": 7}}
    client.chat_postMessage(channel=CHANNEL, text="x", metadata=metadata)
    plain = client.conversations_history(channel=CHANNEL)["messages"][0]
    assert "metadata" not in plain
    full = client.conversations_history(channel=CHANNEL, include_all_metadata=True)
    assert full["messages"][0]["metadata"] == metadata


def test_history_pagination(client: WebClient) -> None:
    for n in range(3):
        client.chat_postMessage(channel=CHANNEL, text=str(n))
    page = client.conversations_history(channel=CHANNEL, limit=2)
    assert [m["text"] for m in page["messages"]] == ["2", "1"] and page["has_more"]
    rest = client.conversations_history(
        channel=CHANNEL, limit=2, cursor=page["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in rest["messages"]] == ["0"]


def test_replies_include_parent_and_human_replies(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="item 1")["ts"]
    human = fake.add_message(CHANNEL, user="U0ALICE", text="update", thread_ts=parent)
    client.chat_postMessage(channel=CHANNEL, text="noted", thread_ts=parent)
    replies = client.conversations_replies(channel=CHANNEL, ts=parent)["messages"]
    assert [m["text"] for m in replies] == ["item 1", "update", "noted"]
    assert replies[1]["user"] == "U0ALICE" and replies[1]["parent_user_id"] == "UBOT"
    from_child = client.conversations_replies(channel=CHANNEL, ts=human)["messages"]
    assert len(from_child) == 3
    missing = _error_of(client.conversations_replies, channel=CHANNEL, ts="1763700099.000100")
    assert missing.response["error"] == "thread_not_found"
    assert [m["text"] for m in fake.replies(CHANNEL, parent)] == ["item 1", "update", "noted"]


def test_conversations_open(client: WebClient) -> None:
    first = client.conversations_open(users="U0ALICE")
    assert re.fullmatch(r"D[A-Z0-9]{8,}", first["channel"]["id"])
    again = client.conversations_open(users="U0ALICE", return_im=True)
    assert again["channel"]["id"] == first["channel"]["id"]
    assert again["already_open"] is True and again["channel"]["user"] == "U0ALICE"
    info = client.conversations_info(channel=first["channel"]["id"])["channel"]
    assert info["is_im"] is True and info["user"] == "U0ALICE"
    assert _error_of(client.conversations_open, users="alice").response["error"] == (
        "user_not_found"
    )


# ---- users / usergroups ---------------------------------------------------------------


def test_users_info(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U0ALICE", name="alice", real_name="Alice Smith", team_id="T0PARTNER")
    user = client.users_info(user="U0ALICE")["user"]
    assert user["id"] == "U0ALICE" and user["name"] == "alice"
    assert user["team_id"] == "T0PARTNER" and user["is_bot"] is False
    assert user["tz"] == "Europe/London" and user["tz_offset"] in (0, 3600)
    assert user["profile"]["real_name"] == "Alice Smith"
    assert user["profile"]["display_name"] == "alice"
    bot = client.users_info(user="UBOT")["user"]
    assert bot["is_bot"] is True and bot["profile"]["bot_id"] == "BBOT"
    error = _error_of(client.users_info, user="U0NOBODY")
    assert error.response["error"] == "user_not_found"


def test_usergroups_users_list(fake: FakeSlack, client: WebClient) -> None:
    fake.set_usergroup("S0DUTY", ["U0A", "U0B"])
    assert client.usergroups_users_list(usergroup="S0DUTY")["users"] == ["U0A", "U0B"]
    error = _error_of(client.usergroups_users_list, usergroup="S0NONE")
    assert error.response["error"] == "no_such_subteam"


# ---- reactions / pins -----------------------------------------------------------------


def test_reactions(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=CHANNEL, text="x")["ts"]
    client.reactions_add(channel=CHANNEL, timestamp=ts, name="white_check_mark")
    client.reactions_add(channel=CHANNEL, timestamp=ts, name="eyes")
    assert fake.reactions(CHANNEL, ts) == ["white_check_mark", "eyes"]
    again = _error_of(client.reactions_add, channel=CHANNEL, timestamp=ts, name="eyes")
    assert again.response["error"] == "already_reacted"
    client.reactions_remove(channel=CHANNEL, timestamp=ts, name="eyes")
    assert fake.reactions(CHANNEL, ts) == ["white_check_mark"]
    gone = _error_of(client.reactions_remove, channel=CHANNEL, timestamp=ts, name="eyes")
    assert gone.response["error"] == "no_reaction"
    history = client.conversations_history(channel=CHANNEL)["messages"][0]
    assert history["reactions"] == [{"name": "white_check_mark", "users": ["UBOT"], "count": 1}]
    nowhere = _error_of(
        client.reactions_add, channel=CHANNEL, timestamp="1763700099.000100", name="eyes"
    )
    assert nowhere.response["error"] == "message_not_found"


def test_pins(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel=CHANNEL, text="one")["ts"]
    second = client.chat_postMessage(channel=CHANNEL, text="two")["ts"]
    client.pins_add(channel=CHANNEL, timestamp=first)
    client.pins_add(channel=CHANNEL, timestamp=second)
    assert fake.pins(CHANNEL) == [first, second]
    again = _error_of(client.pins_add, channel=CHANNEL, timestamp=first)
    assert again.response["error"] == "already_pinned"
    items = client.pins_list(channel=CHANNEL)["items"]
    assert [i["message"]["ts"] for i in items] == [second, first]
    assert items[0]["type"] == "message" and items[0]["channel"] == CHANNEL
    client.pins_remove(channel=CHANNEL, timestamp=first)
    assert fake.pins(CHANNEL) == [second]
    unpinned = _error_of(client.pins_remove, channel=CHANNEL, timestamp=first)
    assert unpinned.response["error"] == "no_pin"
    client.chat_delete(channel=CHANNEL, ts=second)
    assert fake.pins(CHANNEL) == []


# ---- views.* ---------------------------------------------------------------------------


def test_views_open_returns_id_and_hash(fake: FakeSlack, client: WebClient) -> None:
    view = client.views_open(trigger_id="123.456.abc", view=MODAL)["view"]
    assert re.fullmatch(r"V[A-Z0-9]{8,}", view["id"])
    assert view["hash"] and view["root_view_id"] == view["id"]
    assert view["title"] == MODAL["title"] and view["state"] == {"values": {}}
    assert fake.opened_views() == [MODAL]
    assert client.views_open(interactivity_pointer="p-1", view=MODAL)["ok"]


def test_views_push_and_update(fake: FakeSlack, client: WebClient) -> None:
    root = client.views_open(trigger_id="t1", view=MODAL)["view"]
    pushed = client.views_push(trigger_id="t2", view={**MODAL, "external_id": "step-2"})["view"]
    assert pushed["previous_view_id"] == root["id"] and pushed["root_view_id"] == root["id"]
    assert len(fake.opened_views()) == 2
    new_title = {"type": "plain_text", "text": "Done"}
    by_id = client.views_update(view_id=root["id"], view={**MODAL, "title": new_title})["view"]
    assert by_id["id"] == root["id"] and by_id["hash"] != root["hash"]
    by_external = client.views_update(external_id="step-2", view={**MODAL, "external_id": "step-2"})
    assert by_external["view"]["id"] == pushed["id"]
    stale = _error_of(client.views_update, view_id=root["id"], hash=root["hash"], view=MODAL)
    assert stale.response["error"] == "hash_conflict"
    unknown = _error_of(client.views_update, view_id="V0NOPE0001", view=MODAL)
    assert unknown.response["error"] == "not_found"
    duplicate = _error_of(
        client.views_open, trigger_id="t3", view={**MODAL, "external_id": "step-2"}
    )
    assert duplicate.response["error"] == "duplicate_external_id"


def test_views_publish_history(fake: FakeSlack, client: WebClient) -> None:
    first = client.views_publish(user_id="U0ALICE", view=HOME)["view"]
    second_view = {**HOME, "private_metadata": "v2"}
    second = client.views_publish(user_id="U0ALICE", view=second_view, hash=first["hash"])["view"]
    assert second["id"] == first["id"] and second["type"] == "home"
    assert fake.published_views("U0ALICE") == [HOME, second_view]
    assert fake.published_views("U0BOB") == []
    stale = _error_of(client.views_publish, user_id="U0ALICE", view=HOME, hash=first["hash"])
    assert stale.response["error"] == "hash_conflict"
    wrong_type = _error_of(client.views_publish, user_id="U0ALICE", view=MODAL)
    assert wrong_type.response["error"] == "invalid_arguments"


def test_invalid_view_reports_response_metadata(client: WebClient) -> None:
    long_title = {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}}
    error = _error_of(client.views_open, trigger_id="t", view=long_title)
    assert error.response["error"] == "invalid_arguments"
    assert error.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]


# ---- files ------------------------------------------------------------------------------


def test_files_upload_v2_flow(fake: FakeSlack, client: WebClient) -> None:
    content = b"PK\x03\x04\x00\r\n\xff binary xlsx bytes"
    reply = client.files_upload_v2(
        channel=CHANNEL,
        content=content,
        filename="dbm-2025-11-21.xlsx",
        title="DBM actions",
        initial_comment="Today's actions",
    )
    assert reply["file"]["id"].startswith("F")
    assert reply["file"]["title"] == "DBM actions"
    assert reply["file"]["name"] == "dbm-2025-11-21.xlsx"
    assert reply["file"]["size"] == len(content)
    (uploaded,) = fake.uploaded_files()
    assert uploaded.file_id == reply["file"]["id"]
    assert uploaded.content == content
    assert (uploaded.filename, uploaded.title) == ("dbm-2025-11-21.xlsx", "DBM actions")
    assert (uploaded.channel_id, uploaded.initial_comment) == (CHANNEL, "Today's actions")
    assert uploaded.thread_ts is None
    methods = [c.method for c in fake.calls]
    assert methods == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]
    assert fake.calls[2].args["files"] == [{"id": uploaded.file_id, "title": "DBM actions"}]


def test_upload_into_a_thread(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="p")["ts"]
    client.files_upload_v2(channel=CHANNEL, content="a,b\n", filename="x.csv", thread_ts=parent)
    assert fake.uploaded_files()[0].thread_ts == parent
    assert fake.uploaded_files()[0].title == "x.csv"


def test_upload_url_accepts_multipart(fake: FakeSlack, client: WebClient) -> None:
    grant = client.files_getUploadURLExternal(filename="r.bin", length=4)
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="r.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\x00\x01\r\n\r\n--XyZ--\r\n"
    )
    status, _, text = _raw_post(
        grant["upload_url"], body, {"Content-Type": "multipart/form-data; boundary=XyZ"}
    )
    assert (status, text) == (200, b"OK - 4")
    assert fake.calls_to("file_upload")[0].args["filename"] == "r.bin"
    done = client.files_completeUploadExternal(files=[{"id": grant["file_id"]}])
    assert done["files"][0]["title"] == "r.bin"
    assert fake.uploaded_files()[0].content == b"\x00\x01\r\n"


def test_complete_without_upload_fails(client: WebClient) -> None:
    grant = client.files_getUploadURLExternal(filename="r.bin", length=4)
    error = _error_of(client.files_completeUploadExternal, files=[{"id": grant["file_id"]}])
    assert error.response["error"] == "file_not_found"


def test_upload_failure_injection(fake: FakeSlack, client: WebClient) -> None:
    fake.server_error("file_upload", status=500)
    with pytest.raises(Exception, match="500"):
        client.files_upload_v2(channel=CHANNEL, content=b"x", filename="x.txt")
    assert fake.uploaded_files() == []


# ---- response_url -------------------------------------------------------------------------


def test_response_url_posts_are_recorded(fake: FakeSlack) -> None:
    payload = {"replace_original": True, "text": "Updated", "blocks": [_section("Updated")]}
    status, _, body = _raw_post(
        fake.response_url("cmd-1"),
        json.dumps(payload).encode(),
        {"Content-Type": "application/json"},
    )
    assert status == 200 and json.loads(body) == {"ok": True}
    (call,) = fake.wait_for("response_url")
    assert call.args == {**payload, "_key": "cmd-1"}
    assert call.token is None


def test_response_url_failure(fake: FakeSlack) -> None:
    fake.fail("response_url", "expired_url")
    _, _, body = _raw_post(fake.response_url(), b"{}", {"Content-Type": "application/json"})
    assert json.loads(body)["error"] == "expired_url"


# ---- validate_blocks / validate_view --------------------------------------------------------


def _button(text: str = "Go", **extra: Any) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": "go",
        **extra,
    }


VALID_MESSAGE_BLOCKS: list[dict[str, Any]] = [
    {"type": "header", "text": {"type": "plain_text", "text": "Daily Briefing"}},
    _section("*Item*", block_id="item-1", accessory=_button()),
    {"type": "divider"},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "Chair: Alice"}]},
    {
        "type": "actions",
        "elements": [
            _button("Approve", action_id="approve", style="primary"),
            {
                "type": "static_select",
                "action_id": "pick",
                "placeholder": {"type": "plain_text", "text": "Choose"},
                "options": [{"text": {"type": "plain_text", "text": "A"}, "value": "a"}],
            },
        ],
    },
    {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Owner*"}]},
]

BAD_BLOCKS: list[tuple[str, list[dict[str, Any]], str, str]] = [
    ("section text > 3000", [_section("x" * 3001)], "message", "/blocks/0/text/text"),
    (
        "header > 150",
        [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
        "message",
        "/blocks/0/text/text",
    ),
    (
        "header mrkdwn",
        [{"type": "header", "text": {"type": "mrkdwn", "text": "*x*"}}],
        "message",
        "/blocks/0/text/type",
    ),
    ("block_id > 255", [_section("x", block_id="b" * 256)], "message", "/blocks/0/block_id"),
    (
        "duplicate block_id",
        [_section("x", block_id="a"), _section("y", block_id="a")],
        "message",
        "/blocks/1/block_id",
    ),
    (
        "action_id > 255",
        [{"type": "actions", "elements": [_button(action_id="a" * 256)]}],
        "message",
        "/blocks/0/elements/0/action_id",
    ),
    (
        "button text > 75",
        [{"type": "actions", "elements": [_button("b" * 76)]}],
        "message",
        "/blocks/0/elements/0/text/text",
    ),
    (
        "actions > 25 elements",
        [{"type": "actions", "elements": [_button(action_id=f"a{n}") for n in range(26)]}],
        "message",
        "/blocks/0/elements",
    ),
    (
        "context > 10 elements",
        [{"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 11}],
        "message",
        "/blocks/0/elements",
    ),
    ("message > 50 blocks", [{"type": "divider"}] * 51, "message", "/blocks"),
    ("modal > 100 blocks", [{"type": "divider"}] * 101, "modal", "/blocks"),
    ("home > 100 blocks", [{"type": "divider"}] * 101, "home", "/blocks"),
    ("empty section text", [_section("")], "message", "/blocks/0/text/text"),
    ("section without text", [{"type": "section"}], "message", "/blocks/0"),
    ("unknown type", [{"type": "carousel_of_doom"}], "message", "/blocks/0/type"),
    (
        "duplicate action_id in a block",
        [{"type": "actions", "elements": [_button(), _button()]}],
        "message",
        "/blocks/0/elements/1/action_id",
    ),
    (
        "input without element",
        [{"type": "input", "label": {"type": "plain_text", "text": "L"}}],
        "modal",
        "/blocks/0",
    ),
    ("markdown block in a modal", [{"type": "markdown", "text": "x"}], "modal", "/blocks/0/type"),
]


def test_valid_blocks_have_no_problems() -> None:
    assert validate_blocks(VALID_MESSAGE_BLOCKS, surface="message") == []
    assert validate_blocks([{"type": "divider"}] * 100, surface="modal") == []


@pytest.mark.parametrize(
    ("blocks", "surface", "pointer"),
    [case[1:] for case in BAD_BLOCKS],
    ids=[case[0] for case in BAD_BLOCKS],
)
def test_block_kit_limits(blocks: list[dict[str, Any]], surface: str, pointer: str) -> None:
    problems = validate_blocks(blocks, surface=surface)
    assert any(p.endswith(f"[json-pointer:{pointer}]") for p in problems), problems


def test_validate_blocks_limits_are_inclusive() -> None:
    at_limits = [
        _section("x" * 3000, block_id="b" * 255),
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}},
        {
            "type": "actions",
            "elements": [_button("t" * 75, action_id=f"{n:0>255}") for n in range(25)],
        },
        {"type": "context", "elements": [{"type": "plain_text", "text": "c"}] * 10},
    ]
    assert validate_blocks(at_limits, surface="message") == []


def test_validate_blocks_rejects_unknown_surface() -> None:
    with pytest.raises(ValueError):
        validate_blocks([], surface="canvas")


def test_validate_view() -> None:
    assert validate_view(MODAL) == []
    assert validate_view(HOME, allowed_types=("home",)) == []
    title_25 = {**MODAL, "title": {"type": "plain_text", "text": "t" * 25}}
    assert validate_view(title_25) == [
        "must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    no_title = {k: v for k, v in MODAL.items() if k != "title"}
    assert validate_view(no_title) == ["missing required field: title [json-pointer:/view]"]
    input_block = {
        "type": "input",
        "label": {"type": "plain_text", "text": "Notes"},
        "element": {"type": "plain_text_input", "action_id": "notes"},
    }
    needs_submit = {**MODAL, "blocks": [input_block]}
    assert any("submit" in p for p in validate_view(needs_submit))
    submit = {"type": "plain_text", "text": "Save"}
    assert validate_view({**needs_submit, "submit": submit}) == []
    assert validate_view({**MODAL, "private_metadata": "m" * 3001})
    assert validate_view(HOME, allowed_types=("modal",))
    assert validate_view("not a view") == ["must be an object [json-pointer:/view]"]


# ---- honesty against Slack's published specs (need shared/slack-specs) -----------------


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@needs_specs
def test_required_args_cover_what_the_openapi_spec_requires() -> None:
    spec = _load(OPENAPI)
    missing_from_spec = set()
    for method, groups in REQUIRED_ARGS.items():
        path = spec["paths"].get(f"/{method}")
        if path is None:
            missing_from_spec.add(method)
            continue
        (operation,) = path.values()
        required = {p["name"] for p in operation.get("parameters", []) if p.get("required")} - {
            "token"
        }
        ours = {name for group in groups for name in group}
        assert required <= ours, f"{method}: spec requires {required - ours}"
    # README: the 2020 spec predates the upload v2, canvas and bookmark methods.
    newer = {"files.getUploadURLExternal", "files.completeUploadExternal"}
    newer |= {m for m in REQUIRED_ARGS if m.startswith(("canvases.", "bookmarks."))}
    newer |= {"conversations.canvases.create", "apps.connections.open"}
    assert missing_from_spec == newer


def _repaired_spec() -> dict[str, Any]:
    """The OpenAPI document with the README's known gaps patched for validation."""
    spec = _load(OPENAPI)

    def repair(node: Any) -> Any:
        if isinstance(node, dict):
            # README: response schemas are partial (fields added since 2020 are missing), so
            # "additionalProperties: false" is not trusted; field names are checked against
            # the current java-slack-sdk samples instead (test below).
            node = {k: repair(v) for k, v in node.items() if k != "additionalProperties"}
            # objs_user / objs_conversation etc. list alternatives under "items" with no type
            if isinstance(node.get("items"), list) and "type" not in node:
                return {"anyOf": node.pop("items")}
            return node
        if isinstance(node, list):
            return [repair(v) for v in node]
        return node

    spec = repair(spec)
    # users.info no longer returns profile "fields" (absent from the current java sample;
    # custom fields moved to users.profile.get), so the 2020 "required" entry is dropped.
    profile = spec["definitions"]["objs_user_profile"]
    profile["required"] = [name for name in profile["required"] if name != "fields"]
    return dict(spec)


def _schema_errors(
    spec: dict[str, Any], method: str, reply: dict[str, Any], which: str
) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    (operation,) = spec["paths"][f"/{method}"].values()
    schema = {**operation["responses"][which]["schema"], "definitions": spec["definitions"]}
    problems = []
    for error in jsonschema.Draft4Validator(schema).iter_errors(reply):
        deepest = jsonschema.exceptions.best_match([error])
        where = "/".join(map(str, deepest.absolute_path))
        problems.append(f"{where}: {deepest.message[:160]}")
    return problems


@pytest.fixture
def real_ids() -> Iterator[tuple[FakeSlack, WebClient]]:
    """A fake with IDs shaped the way the spec's patterns want them."""
    with FakeSlack(team_id="T0DBM0001", bot_user_id="U0DBMBOT01", bot_id="B0DBMBOT01") as server:
        yield server, WebClient(token="xoxb-test", base_url=server.base_url)


@needs_specs
def test_success_responses_match_the_openapi_schemas(
    real_ids: tuple[FakeSlack, WebClient],
) -> None:
    fake, client = real_ids
    spec = _repaired_spec()
    fake.add_user("U0ALICE01", name="alice", real_name="Alice Smith")
    fake.set_usergroup("S0DUTY001", ["U0ALICE01"])
    parent = client.chat_postMessage(
        channel=CHANNEL, text="agenda", metadata={"event_type": "e", "event_payload": {}}
    )
    fake.add_message(CHANNEL, user="U0ALICE01", text="reply", thread_ts=parent["ts"])
    client.reactions_add(channel=CHANNEL, timestamp=parent["ts"], name="eyes")
    replies: dict[str, Any] = {
        "auth.test": client.auth_test(),
        "team.info": client.team_info(),
        "chat.postMessage": parent,
        "chat.update": client.chat_update(channel=CHANNEL, ts=parent["ts"], text="agenda v2"),
        "chat.postEphemeral": client.chat_postEphemeral(
            channel=CHANNEL, user="U0ALICE01", text="e"
        ),
        "chat.getPermalink": client.chat_getPermalink(channel=CHANNEL, message_ts=parent["ts"]),
        "conversations.info": client.conversations_info(channel=CHANNEL),
        "conversations.members": client.conversations_members(channel=CHANNEL),
        "conversations.history": client.conversations_history(channel=CHANNEL),
        "conversations.replies": client.conversations_replies(channel=CHANNEL, ts=parent["ts"]),
        "conversations.open": client.conversations_open(users="U0ALICE01"),
        "users.info": client.users_info(user="U0ALICE01"),
        "usergroups.users.list": client.usergroups_users_list(usergroup="S0DUTY001"),
        "views.open": client.views_open(trigger_id="t", view=MODAL),
        "files.info": client.files_info(file=client.canvases_create(title="c")["canvas_id"]),
    }
    replies["chat.delete"] = client.chat_delete(channel=CHANNEL, ts=parent["ts"])
    dm = replies["conversations.open"]["channel"]["id"]
    replies["conversations.info (im)"] = client.conversations_info(channel=dm)
    problems = {
        name: _schema_errors(spec, name.split(" ")[0], reply.data, "200")
        for name, reply in replies.items()
    }
    assert {k: v for k, v in problems.items() if v} == {}


@needs_specs
def test_error_codes_are_in_the_spec_error_enums(real_ids: tuple[FakeSlack, WebClient]) -> None:
    fake, client = real_ids
    spec = _repaired_spec()
    ts = client.chat_postMessage(channel=CHANNEL, text="x")["ts"]
    client.reactions_add(channel=CHANNEL, timestamp=ts, name="eyes")
    client.pins_add(channel=CHANNEL, timestamp=ts)
    cases = {
        "chat.postMessage": lambda: client.chat_postMessage(channel=CHANNEL, text="x" * 40_001),
        "chat.update": lambda: client.chat_update(
            channel=CHANNEL, ts="1763700099.000100", text="x"
        ),
        "reactions.add": lambda: client.reactions_add(channel=CHANNEL, timestamp=ts, name="eyes"),
        "pins.add": lambda: client.pins_add(channel=CHANNEL, timestamp=ts),
        "users.info": lambda: client.users_info(user="U0NOBODY1"),
        "conversations.replies": lambda: client.conversations_replies(
            channel=CHANNEL, ts="1.000001"
        ),
        "conversations.open": lambda: client.api_call("conversations.open", json={}),
        "auth.test": lambda: WebClient(base_url=fake.base_url).auth_test(),
        "files.info": lambda: client.files_info(file="F0NOSUCH01"),
    }
    problems = {}
    for method, call in cases.items():
        error = _error_of(call)
        problems[method] = _schema_errors(spec, method, error.response.data, "default")
    assert {k: v for k, v in problems.items() if v} == {}


def _extra_keys(ours: Any, sample: Any, path: str = "") -> list[str]:
    """Paths of keys in `ours` that the blanked sample does not have."""
    if isinstance(ours, dict) and isinstance(sample, dict):
        extra = [f"{path}/{k}" for k in ours if k not in sample]
        return extra + [
            e for k in ours if k in sample for e in _extra_keys(ours[k], sample[k], f"{path}/{k}")
        ]
    if isinstance(ours, list) and isinstance(sample, list) and ours and sample:
        return [e for item in ours for e in _extra_keys(item, sample[0], f"{path}/0")]
    return []


@needs_specs
def test_response_fields_exist_in_java_sdk_samples(real_ids: tuple[FakeSlack, WebClient]) -> None:
    fake, client = real_ids
    fake.add_user("U0ALICE01", name="alice")
    fake.set_channel(CHANNEL, members=["U0ALICE01"])
    posted = client.chat_postMessage(
        channel=CHANNEL, text="x", metadata={"event_type": "e", "event_payload": {}}
    )
    reply = client.chat_postMessage(
        channel=CHANNEL, text="y", blocks=[_section("y")], thread_ts=posted["ts"]
    )
    client.chat_update(channel=CHANNEL, ts=posted["ts"], text="x2")
    client.reactions_add(channel=CHANNEL, timestamp=posted["ts"], name="eyes")
    completed = client.files_upload_v2(channel=CHANNEL, content=b"x", filename="x.xlsx").data
    assert isinstance(completed, dict)
    replies = {
        "chat.postMessage": reply.data,
        "users.info": client.users_info(user="U0ALICE01").data,
        "team.info": client.team_info().data,
        "conversations.members": client.conversations_members(channel=CHANNEL).data,
        "conversations.replies": client.conversations_replies(
            channel=CHANNEL, ts=posted["ts"]
        ).data,
        "files.getUploadURLExternal": client.files_getUploadURLExternal(
            filename="a", length=1
        ).data,
        # "file" is added client-side by files_upload_v2, not sent by Slack
        "files.completeUploadExternal": {k: v for k, v in completed.items() if k != "file"},
    }
    extras = {m: _extra_keys(data, _load(SAMPLES / f"{m}.json")) for m, data in replies.items()}
    assert {m: e for m, e in extras.items() if e} == {}


def test_a_persons_edit_and_deletion_show_in_the_thread(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0DBM", text="header")["ts"]
    kept = fake.add_message("C0DBM", user="UALICE", text="first", thread_ts=parent)
    gone = fake.add_message("C0DBM", user="UALICE", text="second", thread_ts=parent)
    client.reactions_add(channel="C0DBM", timestamp=kept, name="white_check_mark")
    edited = fake.edit_message("C0DBM", kept, "first, corrected")
    fake.delete_message("C0DBM", gone)
    fake.remove_reactions("C0DBM", kept)
    messages = client.conversations_replies(channel="C0DBM", ts=parent)["messages"]
    assert [m["ts"] for m in messages] == [parent, kept]
    assert messages[1]["text"] == "first, corrected"
    assert messages[1]["edited"] == {"user": "UALICE", "ts": edited}
    assert "reactions" not in messages[1]
