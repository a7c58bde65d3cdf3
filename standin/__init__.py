"""A local stand-in for Slack's Web API, used by the tests and by `python -m bot demo`.

`FakeSlack` is a real HTTP server on 127.0.0.1 (ephemeral port) that answers the Web API
methods the bot uses, records every call, keeps enough state (messages, reactions, pins,
views, uploads) to answer follow-up reads, and can be told to fail. Point a
`slack_sdk.WebClient` at `fake.base_url`.

Where Slack's 2020 OpenAPI spec is wrong or silent (see shared/slack-specs/README.md), the
fake follows Slack's current documented behaviour:

- Required arguments come from `REQUIRED_ARGS`, not the spec's `required` flags.
- `pins.remove` of an unpinned item answers `no_pin` (current docs), not `not_pinned`.
- A token inside a JSON body is ignored (Slack wants JSON callers to use the
  Authorization header), so such a call answers `not_authed`.
- `conversations.history` / `.replies` include message `metadata` only when
  `include_all_metadata` is true, as Slack does.
- Block Kit limits (which no spec here lists) are checked by `validate_blocks` and
  `validate_view`; problems are phrased like Slack's `[json-pointer:...]` messages.

- Canvases and bookmarks (absent from the 2020 spec) follow their docs.slack.dev pages; see
  standin/canvases.py. Their scopes are checked (`set_scopes`), and a free workspace
  (`set_plan("free")`) refuses what Slack's free plan refuses.

Stdlib only: it must not import the project or need shared/ at runtime. Modules: server
(FakeSlack and its HTTP server), dispatch (routing and argument checks), chat, conversations,
views, canvases and bookmarks (the methods), scopes (which scope each newer method needs),
state (shared helpers), blockkit/elements/problems (Block Kit limits), arguments (required
arguments, request parsing) and records (Call, UploadedFile).
"""

from standin.arguments import REQUIRED_ARGS
from standin.blockkit import validate_blocks, validate_view
from standin.records import Call, UploadedFile
from standin.server import FakeSlack

__all__ = [
    "REQUIRED_ARGS",
    "Call",
    "FakeSlack",
    "UploadedFile",
    "validate_blocks",
    "validate_view",
]
