"""HTTP requests to servers we do not control, with a total deadline and a size cap.

urllib's timeout bounds each read, so a server that sends a byte every few seconds
keeps a request alive for ever. Here every connection a request opens is registered
with its ``Deadline``, which shuts the sockets down when the time is up: whatever the
server does, the request ends by then. Answers are read in pieces and refused past
``max_bytes``. URLs are shown without their user name and password.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from ofsted_kg.errors import RemoteError


def shown(url: str) -> str:
    """The URL without credentials (https://user:secret@host/ -> https://host/)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def credentials_in(url: str) -> tuple[str, str] | None:
    """The user name and password written in the URL, if any (percent-decoded)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return None
    return urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")


def with_password(opener_handlers: list[Any], url: str, found: tuple[str, str] | None,
                  digest: bool = False) -> list[Any]:
    """The handlers, with Basic authentication for ``url`` if credentials were found, and
    Digest if asked (Virtuoso's authenticated Graph Store endpoint asks for Digest)."""
    if not found:
        return opener_handlers
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, shown(url), *found)
    return [*opener_handlers, urllib.request.HTTPBasicAuthHandler(passwords),
            *([RememberedDigest(passwords)] if digest else [])]


class RememberedDigest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that, once it has seen the server's challenge, answers it in
    advance on every later request. Otherwise each request would first go out without
    credentials, and a server that answers 401 before reading the body (Virtuoso) closes
    the connection under a large one: a broken pipe instead of an answer."""

    challenge: dict[str, str] | None = None

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str) -> Any:
        _, _, challenge = auth.partition(" ")
        self.challenge = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(challenge)))
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self.challenge and not req.has_header("Authorization"):
            answer = self.get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request


class Deadline:
    """The moment a request must be over by; its connections are cut then."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        self._sockets.append(sock)
        if self.expired:
            self._expire()

    def _expire(self) -> None:
        self.expired = True
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class DeadlineHandler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """Opens HTTP and HTTPS connections that the current ``Deadline`` can cut."""

    def __init__(self) -> None:
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self)
        self.deadline: Deadline | None = None

    def _connection(self, base: type[http.client.HTTPConnection]) -> Any:
        handler = self

        class Watched(base):  # type: ignore[misc, valid-type]
            def connect(self) -> None:
                super().connect()
                if handler.deadline is not None:
                    handler.deadline.watch(self.sock)

        return Watched

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection(http.client.HTTPConnection), req)

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection(http.client.HTTPSConnection), req, context=self._context)


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes


def fetch(opener: urllib.request.OpenerDirector, handler: DeadlineHandler, request: urllib.request.Request,
          seconds: float, max_bytes: int) -> Answer:
    """Send the request and read the whole answer, within ``seconds`` and ``max_bytes``.

    An HTTP error status is an ``Answer`` too; the caller decides. Raises ``RemoteError``
    when the time is up or the answer is too large, and lets the connection errors of
    urllib through (``URLError``, ``OSError``)."""
    deadline = Deadline(seconds)
    handler.deadline = deadline
    url = shown(request.full_url.split("?")[0])
    try:
        try:
            response = opener.open(request, timeout=seconds)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            chunks, size = [], 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > max_bytes:
                    raise RemoteError(f"the answer is over {max_bytes:,} bytes; not read further", url)
                chunks.append(chunk)
        if deadline.expired:
            raise RemoteError(f"no complete answer within {seconds:g} s", url)
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return Answer(response.status, content_type, b"".join(chunks))  # an HTTPError has a status too
    except (OSError, http.client.HTTPException, ValueError) as error:
        if deadline.expired:
            raise RemoteError(f"no complete answer within {seconds:g} s", url) from error
        if isinstance(error, http.client.HTTPException):
            raise RemoteError(f"the server's answer is not valid HTTP ({type(error).__name__})", url) from error
        raise
    finally:
        deadline.cancel()
        handler.deadline = None
