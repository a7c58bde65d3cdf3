"""The Slack stand-in now lives in the `standin` package; this name stays for existing tests."""

from standin import REQUIRED_ARGS, Call, FakeSlack, UploadedFile, validate_blocks, validate_view

__all__ = ["REQUIRED_ARGS", "Call", "FakeSlack", "UploadedFile", "validate_blocks", "validate_view"]
