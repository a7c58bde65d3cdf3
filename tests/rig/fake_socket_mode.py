"""A local stand-in for Slack's Socket Mode endpoint, for slack_sdk's built-in client.

Speaks just enough of RFC 6455 (handshake, text, ping/pong, close) and of Socket Mode (hello,
envelopes in, acks out) over plain TCP on 127.0.0.1: the SDK uses a plain socket for any port but
443. Connection N answers pings unless N is in `silent`. `ConnectionsOpen` is the Web API half:
a WebClient whose apps.connections.open hands out the server's URL.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll a condition set by another thread, failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        threading.Event().wait(0.005)


def frame(opcode: int, payload: bytes) -> bytes:
    """A server frame: final, unmasked."""
    size = len(payload)
    if size < 126:
        head = struct.pack("!BB", 0x80 | opcode, size)
    elif size < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 126, size)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, size)
    return head + payload


def read_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("peer closed")
        data += chunk
    return data


def read_frame(sock: socket.socket) -> tuple[int, bytes]:
    """A client frame (always masked)."""
    first, second = read_exact(sock, 2)
    size = second & 0x7F
    if size == 126:
        size = struct.unpack("!H", read_exact(sock, 2))[0]
    elif size == 127:
        size = struct.unpack("!Q", read_exact(sock, 8))[0]
    mask = read_exact(sock, 4) if second & 0x80 else b"\0\0\0\0"
    data = bytes(b ^ mask[i % 4] for i, b in enumerate(read_exact(sock, size)))
    return first & 0x0F, data


@dataclass
class Link:
    """One accepted connection, as the server saw it."""

    sock: socket.socket
    answer_pings: bool
    pings: list[str] = field(default_factory=list)
    texts: list[dict[str, Any]] = field(default_factory=list)
    closed: threading.Event = field(default_factory=threading.Event)

    def send(self, message: dict[str, Any]) -> None:
        self.sock.sendall(frame(TEXT, json.dumps(message).encode()))

    def hang_up(self) -> None:
        """Close the TCP connection (shutdown first, so blocked reads on both ends return)."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class FakeSocketModeServer:
    """Accepts WebSocket connections; link N answers pings unless told otherwise."""

    def __init__(self, silent: set[int] | None = None) -> None:
        self.silent = silent or set()
        self.links: list[Link] = []
        self._accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=t"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            link = Link(sock, answer_pings=self._accepted not in self.silent)
            self._accepted += 1
            threading.Thread(target=self._serve, args=(link,), daemon=True).start()

    def _handshake(self, sock: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            request += sock.recv(1024)
        key = next(
            line.split(":", 1)[1].strip()
            for line in request.decode().split("\r\n")
            if line.lower().startswith("sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        sock.sendall(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )

    def _serve(self, link: Link) -> None:
        try:
            self._handshake(link.sock)
            link.send({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A"}})
            self.links.append(link)  # listed once open, so a test never writes mid-handshake
            while True:
                opcode, data = read_frame(link.sock)
                if opcode == PING:
                    link.pings.append(data.decode())
                    if link.answer_pings:
                        link.sock.sendall(frame(PONG, data))
                elif opcode == TEXT:
                    link.texts.append(json.loads(data))
                elif opcode == CLOSE:
                    break
        except (OSError, ConnectionError):
            pass
        finally:
            link.closed.set()
            link.sock.close()

    def close(self) -> None:
        self._listener.close()
        for link in self.links:
            link.hang_up()


class ConnectionsOpen(WebClient):
    """The Web API side of Socket Mode: apps.connections.open hands out the server's URL."""

    def __init__(self, url: str) -> None:
        super().__init__(token="xoxb-test")
        self.url = url
        self.opened = 0

    def apps_connections_open(self, **_kwargs: Any) -> Any:  # type: ignore[override]
        self.opened += 1
        return {"url": self.url}
