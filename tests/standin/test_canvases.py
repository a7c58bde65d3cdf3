"""The stand-in's canvases, bookmarks and files.info, driven through a real slack_sdk WebClient."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from standin import FakeSlack

pytestmark = pytest.mark.pure  # no database: the PostgreSQL pass skips it

CHANNEL = "C0DBM00001"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A running fake with default IDs."""
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    """A real slack_sdk client pointed at the fake."""
    return WebClient(token="xoxb-test", base_url=fake.base_url)


def _md(text: str) -> dict[str, str]:
    return {"type": "markdown", "markdown": text}


def _error(call: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as info:
        call(*args, **kwargs)
    data = info.value.response.data
    assert isinstance(data, dict)
    return data


def _canvas(client: WebClient, text: str = "# OFFICIAL-SENSITIVE\nfirst") -> str:
    return str(client.canvases_create(title="Record", document_content=_md(text))["canvas_id"])


def _section(client: WebClient, canvas_id: str, **criteria: Any) -> str:
    (section,) = client.canvases_sections_lookup(canvas_id=canvas_id, criteria=criteria)["sections"]
    return str(section["id"])


def _edit(client: WebClient, canvas_id: str, **change: Any) -> None:
    client.canvases_edit(canvas_id=canvas_id, changes=[change])


# ---- create ---------------------------------------------------------------------------


def test_create_answers_a_file_id_and_keeps_title_and_markdown(
    fake: FakeSlack, client: WebClient
) -> None:
    canvas_id = _canvas(client)
    assert canvas_id.startswith("F")
    canvas = fake.canvas(canvas_id)
    assert canvas["title"] == "Record" and canvas["markdown"] == "# OFFICIAL-SENSITIVE\nfirst"
    assert canvas["access"] == {} and canvas["tab_channel"] is None and not canvas["deleted"]


def test_create_with_a_channel_tabs_it_there_with_write_access(
    fake: FakeSlack, client: WebClient
) -> None:
    canvas_id = client.canvases_create(title="t", channel_id=CHANNEL)["canvas_id"]
    assert fake.canvas(canvas_id)["tab_channel"] == CHANNEL
    assert fake.canvas(canvas_id)["access"] == {CHANNEL: "write"}


def test_create_refuses_malformed_content(client: WebClient) -> None:
    error = _error(client.canvases_create, document_content={"type": "html", "markdown": "x"})
    assert error["error"] == "invalid_arguments"
    assert "/document_content" in error["response_metadata"]["messages"][0]


def test_a_free_team_cannot_create_or_edit_a_standalone_canvas(
    fake: FakeSlack, client: WebClient
) -> None:
    standalone = _canvas(client)
    fake.set_plan("free")
    assert _error(client.canvases_create, title="t")["error"] == (
        "free_teams_cannot_create_non_tabbed_canvases"
    )
    change = {"operation": "insert_at_end", "document_content": _md("x")}
    assert _error(client.canvases_edit, canvas_id=standalone, changes=[change])["error"] == (
        "free_teams_cannot_edit_standalone_canvases"
    )
    tabbed = client.canvases_create(title="t", channel_id=CHANNEL)["canvas_id"]
    client.canvases_edit(canvas_id=tabbed, changes=[change])


def test_one_channel_canvas_per_channel(fake: FakeSlack, client: WebClient) -> None:
    first = client.conversations_canvases_create(channel_id=CHANNEL, document_content=_md("hi"))
    assert fake.canvas(first["canvas_id"])["channel_canvas"] is True
    error = _error(client.conversations_canvases_create, channel_id=CHANNEL, document_content={})
    assert error["error"] == "channel_canvas_already_exists"
    client.canvases_delete(canvas_id=first["canvas_id"])
    assert client.conversations_canvases_create(channel_id=CHANNEL, document_content=_md("x"))


# ---- edit -----------------------------------------------------------------------------


def test_insert_at_start_and_end(fake: FakeSlack, client: WebClient) -> None:
    canvas_id = _canvas(client, "middle")
    _edit(client, canvas_id, operation="insert_at_start", document_content=_md("top"))
    _edit(client, canvas_id, operation="insert_at_end", document_content=_md("bottom"))
    assert fake.canvas(canvas_id)["markdown"] == "top\nmiddle\nbottom"


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ("insert_after", "# OFFICIAL-SENSITIVE\nnew\nfirst"),
        ("insert_before", "new\n# OFFICIAL-SENSITIVE\nfirst"),
        ("replace", "new\nfirst"),
        ("delete", "first"),
    ],
)
def test_changes_relative_to_a_section(
    fake: FakeSlack, client: WebClient, operation: str, expected: str
) -> None:
    canvas_id = _canvas(client)
    section = _section(client, canvas_id, section_types=["h1"])
    change: dict[str, Any] = {"operation": operation, "section_id": section}
    if operation != "delete":
        change["document_content"] = _md("new")
    _edit(client, canvas_id, **change)
    assert fake.canvas(canvas_id)["markdown"] == expected


def test_replace_without_a_section_replaces_everything_and_rename_retitles(
    fake: FakeSlack, client: WebClient
) -> None:
    canvas_id = _canvas(client)
    _edit(client, canvas_id, operation="replace", document_content=_md("all new"))
    _edit(client, canvas_id, operation="rename", title_content=_md("Renamed"))
    assert fake.canvas(canvas_id)["markdown"] == "all new"
    assert fake.canvas(canvas_id)["title"] == "Renamed"


def test_section_ids_are_issued_afresh_after_each_edit(client: WebClient) -> None:
    canvas_id = _canvas(client)
    before = _section(client, canvas_id, section_types=["h1"])
    _edit(client, canvas_id, operation="insert_at_end", document_content=_md("more"))
    after = _section(client, canvas_id, section_types=["h1"])
    assert before != after and before.startswith("temp:C:")
    change = {"operation": "insert_after", "section_id": before, "document_content": _md("x")}
    error = _error(client.canvases_edit, canvas_id=canvas_id, changes=[change])
    assert error["error"] == "canvas_editing_failed"


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ([], "changes"),
        ([{"operation": "insert_at_end", "document_content": _md("a")}] * 2, "/changes"),
        ([{"operation": "append", "document_content": _md("a")}], "/changes/0/operation"),
        ([{"operation": "insert_after", "document_content": _md("a")}], "/changes/0"),
        ([{"operation": "delete"}], "/changes/0"),
        ([{"operation": "insert_at_start"}], "/changes/0"),
        ([{"operation": "insert_at_start", "document_content": "text"}], "/document_content"),
    ],
)
def test_invalid_changes_are_refused_and_change_nothing(
    fake: FakeSlack, client: WebClient, changes: list[Any], pointer: str
) -> None:
    canvas_id = _canvas(client)
    error = _error(client.canvases_edit, canvas_id=canvas_id, changes=changes)
    assert error["error"] == "invalid_arguments"
    assert pointer in error["response_metadata"]["messages"][0]
    assert fake.canvas(canvas_id)["markdown"] == "# OFFICIAL-SENSITIVE\nfirst"


def test_unknown_and_deleted_canvases_are_not_found(client: WebClient) -> None:
    change = [{"operation": "insert_at_end", "document_content": _md("x")}]
    assert _error(client.canvases_edit, canvas_id="F0NOSUCH", changes=change)["error"] == (
        "canvas_not_found"
    )
    canvas_id = _canvas(client)
    client.canvases_delete(canvas_id=canvas_id)
    for call, kwargs in [
        (client.canvases_edit, {"changes": change}),
        (client.canvases_delete, {}),
        (client.canvases_sections_lookup, {"criteria": {"contains_text": "x"}}),
        (client.canvases_access_set, {"access_level": "read", "channel_ids": [CHANNEL]}),
    ]:
        assert _error(call, canvas_id=canvas_id, **kwargs)["error"] == "canvas_not_found"


# ---- sections.lookup / access.set -------------------------------------------------------


def test_lookup_by_heading_level_and_text(client: WebClient) -> None:
    canvas_id = _canvas(client, "# Top\n## Monday 23/11/2026\ntext Monday\n## Tuesday 24/11/2026")
    lookup = client.canvases_sections_lookup
    by_level = lookup(canvas_id=canvas_id, criteria={"section_types": ["h2"]})["sections"]
    assert len(by_level) == 2
    by_text = lookup(canvas_id=canvas_id, criteria={"contains_text": "monday"})["sections"]
    assert len(by_text) == 2  # the heading and the paragraph
    both = {"section_types": ["any_header"], "contains_text": "Monday"}
    assert len(lookup(canvas_id=canvas_id, criteria=both)["sections"]) == 1
    assert _error(lookup, canvas_id=canvas_id, criteria={})["error"] == "invalid_arguments"
    bad = {"section_types": ["h4"]}
    assert _error(lookup, canvas_id=canvas_id, criteria=bad)["error"] == "invalid_arguments"


def test_access_set_for_channels_or_users_never_both(fake: FakeSlack, client: WebClient) -> None:
    canvas_id = _canvas(client)
    client.canvases_access_set(canvas_id=canvas_id, access_level="read", channel_ids=[CHANNEL])
    client.canvases_access_set(canvas_id=canvas_id, access_level="write", user_ids=["U0CHAIR"])
    assert fake.canvas(canvas_id)["access"] == {CHANNEL: "read", "U0CHAIR": "write"}
    both = {"channel_ids": [CHANNEL], "user_ids": ["U0CHAIR"]}
    set_access = client.canvases_access_set
    assert _error(set_access, canvas_id=canvas_id, access_level="read", **both)["error"] == (
        "invalid_parameters"
    )
    assert _error(set_access, canvas_id=canvas_id, access_level="read")["error"] == (
        "invalid_parameters"
    )
    wrong = {"access_level": "admin", "channel_ids": [CHANNEL]}
    assert _error(set_access, canvas_id=canvas_id, **wrong)["error"] == "invalid_arguments"
    nowhere = {"access_level": "read", "channel_ids": ["nowhere"]}
    assert _error(set_access, canvas_id=canvas_id, **nowhere)["error"] == "channel_not_found"


# ---- scopes -----------------------------------------------------------------------------


def test_a_token_without_the_scope_gets_missing_scope(fake: FakeSlack, client: WebClient) -> None:
    canvas_id = _canvas(client)
    fake.set_scopes(["chat:write", "canvases:read"])
    error = _error(client.canvases_create, title="t")
    assert error == {
        "ok": False,
        "error": "missing_scope",
        "needed": "canvases:write",
        "provided": "canvases:read,chat:write",
    }
    assert client.canvases_sections_lookup(canvas_id=canvas_id, criteria={"contains_text": "x"})
    assert _error(client.bookmarks_list, channel_id=CHANNEL)["needed"] == "bookmarks:read"
    assert _error(client.files_info, file=canvas_id)["needed"] == "files:read"
    assert client.chat_postMessage(channel=CHANNEL, text="older methods are not checked")
    fake.set_scopes(None)
    assert client.canvases_create(title="t")["ok"]


# ---- bookmarks / files.info ---------------------------------------------------------------


def test_bookmarks_add_list_and_edit(fake: FakeSlack, client: WebClient) -> None:
    added = client.bookmarks_add(
        channel_id=CHANNEL, title="DBM record", type="link", link="https://a.example/1"
    )["bookmark"]
    assert added["id"].startswith("Bk") and added["type"] == "link"
    (listed,) = client.bookmarks_list(channel_id=CHANNEL)["bookmarks"]
    assert listed == added
    client.bookmarks_edit(channel_id=CHANNEL, bookmark_id=added["id"], link="https://a.example/2")
    assert [b["link"] for b in fake.bookmarks(CHANNEL)] == ["https://a.example/2"]
    assert client.bookmarks_list(channel_id="C0OTHER01")["bookmarks"] == []


def test_bookmark_errors(client: WebClient) -> None:
    add = client.bookmarks_add
    assert _error(add, channel_id=CHANNEL, title="t", type="message", link="https://x")[
        "error"
    ] == ("invalid_arguments")
    assert _error(add, channel_id=CHANNEL, title="t", type="link")["error"] == "invalid_arguments"
    assert _error(add, channel_id="nowhere", title="t", type="link", link="https://x")["error"] == (
        "channel_not_found"
    )
    edit = client.bookmarks_edit
    assert _error(edit, channel_id=CHANNEL, bookmark_id="Bk0NONE", title="x")["error"] == (
        "bookmark_not_found"
    )


def test_files_info_gives_a_canvas_permalink(client: WebClient) -> None:
    canvas_id = _canvas(client)
    file = client.files_info(file=canvas_id)["file"]
    assert file["id"] == canvas_id and file["pretty_type"] == "Canvas"
    assert file["permalink"] == f"https://nca-dbm.slack.com/docs/T0DBM/{canvas_id}"
    client.canvases_delete(canvas_id=canvas_id)
    assert _error(client.files_info, file=canvas_id)["error"] == "file_deleted"
    assert _error(client.files_info, file="F0NOSUCH")["error"] == "file_not_found"


MISSING: list[tuple[str, dict[str, Any], str]] = [
    ("canvases.edit", {"changes": []}, "invalid_arguments"),
    ("canvases.edit", {"canvas_id": "F1"}, "invalid_arguments"),
    ("canvases.delete", {}, "invalid_arguments"),
    ("canvases.access.set", {"canvas_id": "F1"}, "invalid_arguments"),
    ("canvases.sections.lookup", {"canvas_id": "F1"}, "invalid_arguments"),
    ("conversations.canvases.create", {}, "channel_not_found"),
    ("bookmarks.add", {"channel_id": CHANNEL, "type": "link"}, "invalid_arguments"),
    ("bookmarks.add", {"title": "t", "type": "link"}, "channel_not_found"),
    ("bookmarks.list", {}, "channel_not_found"),
    ("files.info", {}, "file_not_found"),
]


@pytest.mark.parametrize(("method", "args", "expected"), MISSING)
def test_missing_required_arguments(
    client: WebClient, method: str, args: dict[str, Any], expected: str
) -> None:
    assert _error(client.api_call, method, json=args)["error"] == expected
