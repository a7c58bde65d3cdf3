"""Log lines: plain text, or with LOG_FORMAT=json one JSON object a line (time, level, logger,
message) for a log collector.

In both, a record's exception is given by its class and its traceback's frames (file, line,
code), never by its message, which may quote a database driver's parameters, that is, the text
of an update.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as {"time", "level", "logger", "message"} (and "exception", "frames")."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            entry["exception"] = kind.__name__
            entry["frames"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}: {frame.line}"
                for frame in traceback.extract_tb(trace)
            ]
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The plain text lines, with exceptions given, as in JSON, by class and frames only."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The line, never reusing an exception text another handler formatted in full."""
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's own name)
        """The traceback's frames and the exception's class, without its message."""
        kind, _, trace = ei
        frames = traceback.format_list(traceback.extract_tb(trace))
        return "Traceback (message withheld):\n" + "".join(frames) + str(kind.__name__)


def formatter(log_format: str) -> logging.Formatter:
    """The formatter for LOG_FORMAT: json, or the plain text one."""
    if log_format == "json":
        return JsonFormatter()
    return TextFormatter()
