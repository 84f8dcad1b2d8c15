"""The plumbing every local fake of an outside system shares (the national portal, the postal operator, the
payment gateways): a real threaded HTTP server that starts, stops (cutting kept-alive connections: the system
is gone) and restarts on the same port with what it received; a handler that answers JSON without Nagle's
delay; and, for the systems that speak OAuth2 client credentials, the token endpoint, the bearer check, the
`/_control` body and the message checks (schema, `Idempotency-Key` = `message_id`, `fail_next`).

A fake subclasses `FakeServer` (its handler class in `handler_class`) and calls `listen(host, port)` at the end
of its `__init__`; its handler subclasses `FakeHandler` and reaches the fake as `self.fake`."""

from __future__ import annotations

import base64
import json
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from motcua.integrations import schemas

TOKEN_PATH = "/oauth2/token"
NOT_AN_OBJECT = "(gốc): không phải đối tượng JSON"
ANSWERED = object()  # what _bearer_json returns when it has answered the request itself (a JSON null is a message)


class FakeServer:
    handler_class: type[FakeHandler]
    quiet = True
    holding = 0  # requests taken and now waiting out hold_seconds

    def listen(self, host: str, port: int) -> None:
        if not hasattr(self, "lock"):
            self.lock = threading.Lock()
        self.connections: set = set()
        self.server = ThreadingHTTPServer((host, port), self.handler_class)
        self.server.daemon_threads = True
        self.server.fake = self
        self.thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        host = self.server.server_address[0]
        return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{self.port}"  # noqa: S104 - a bind-all address is reached locally

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused from now on); what was received is kept."""
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            open_connections, self.connections = list(self.connections), set()
        for sock in open_connections:  # kept-alive connections are cut too: the system is gone
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def restart(self):
        """Listen again on the same port, with what was received before the outage."""
        host, port = self.server.server_address[:2]
        self.listen(host, port)
        return self.start()

    def serve_until_interrupted(self) -> None:
        """For the management commands: serve in this thread until Ctrl+C."""
        try:
            self.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.server.server_close()


class OAuthFake(FakeServer):
    """A fake that issues OAuth2 client-credentials tokens and checks messages as the national exchange does."""

    client_id: str
    client_secret: str
    token_ttl: float

    def reset_tokens(self) -> None:
        self.tokens: dict[str, float] = {}
        self.tokens_issued = 0

    def issue_token(self, client_id: str, client_secret: str, grant_type: str) -> tuple[int, dict]:
        if grant_type != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if not (secrets.compare_digest(client_id, self.client_id) and secrets.compare_digest(client_secret, self.client_secret)):
            return 401, {"error": "invalid_client"}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_ttl
            self.tokens_issued += 1
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}

    def authorised(self, header: str) -> bool:
        if not header.startswith("Bearer "):
            return False
        with self.lock:
            expires = self.tokens.get(header[7:])
        return expires is not None and time.monotonic() < expires

    def set_failure_modes(self, settings: dict) -> None:
        """The `/_control` failure modes both exchanges share (the caller holds the lock)."""
        for name in ("fail_next", "fail_status", "drop_replies"):
            if name in settings:
                setattr(self, name, int(settings[name]))
        if "hold_seconds" in settings:
            self.hold_seconds = float(settings["hold_seconds"])
        if settings.get("expire_tokens"):
            self.tokens.clear()

    def failing(self, detail: str) -> tuple[int, dict] | None:
        """The answer while `fail_next` lasts (the request is not taken), else None."""
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_status, {"error": "unavailable", "detail": detail}
        return None

    def refused(self, schema: str, message, idempotency_key: str) -> tuple[int, dict] | None:
        """The 400 answer for a message that does not validate against the schema or whose Idempotency-Key is not
        its message_id (kept in /_rejected), else None."""
        problems = schemas.errors(schema, message) if isinstance(message, dict) else [NOT_AN_OBJECT]
        if not problems and idempotency_key != message["message_id"]:
            problems = ["Idempotency-Key khác message_id"]
        if not problems:
            return None
        with self.lock:
            self.rejected.append({"message": message, "errors": problems})
        return 400, {"error": "invalid_message", "errors": problems}


class FakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    realm = ""  # named in WWW-Authenticate on a 401

    @property
    def fake(self):
        return self.server.fake

    def setup(self):
        super().setup()
        # Headers and body leave in separate writes: without this, Nagle's algorithm and the client's delayed
        # ACK hold every answer back ~40 ms, and the fake, not motcua, would set the pace.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.fake.lock:
            self.fake.connections.add(self.connection)

    def finish(self):
        with self.fake.lock:
            self.fake.connections.discard(self.connection)
        super().finish()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.fake.quiet:
            super().log_message(format, *args)

    def _body(self, limit: int | None = None) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if limit is not None:
            length = min(length, limit)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: str | bytes, content_type: str = "text/html; charset=utf-8", headers=None) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _answer(self, status: int, body) -> None:
        """A JSON answer (a 401 names the realm, as an OAuth2 resource server does)."""
        headers = {"WWW-Authenticate": f'Bearer realm="{self.realm}"'} if status == 401 and self.realm else None
        self._send(status, json.dumps(body, ensure_ascii=False), "application/json; charset=utf-8", headers)

    def _token(self, raw: bytes) -> None:
        """The OAuth2 token endpoint: client credentials in HTTP Basic or in the form."""
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                client_id, _sep, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                return self._answer(401, {"error": "invalid_client"})
        return self._answer(*self.fake.issue_token(client_id, client_secret, form.get("grant_type", "")))

    def _control_settings(self, raw: bytes):
        """The `/_control` body (ANSWERED, with a 400, when it is not JSON)."""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            self._answer(400, {"error": "invalid_json"})
            return ANSWERED

    def _bearer_json(self, raw: bytes):
        """The JSON message of an authorised request; ANSWERED (answered 401 or 400) otherwise."""
        if not self.fake.authorised(self.headers.get("Authorization", "")):
            self._answer(401, {"error": "invalid_token"})
            return ANSWERED
        try:
            return json.loads(raw)
        except ValueError:
            self._answer(400, {"error": "invalid_json"})
            return ANSWERED

    def _dropped(self, after: str) -> bool:
        """After taking a message: "drop" closes the connection unanswered (the client re-sends: a duplicate);
        "hold" waits `hold_seconds` before the answer (client time-outs)."""
        if after == "drop":
            self.close_connection = True
            self.connection.shutdown(2)  # taken, but the client never hears it
            return True
        if after == "hold":
            with self.fake.lock:
                self.fake.holding += 1
            try:
                time.sleep(self.fake.hold_seconds)
            finally:
                with self.fake.lock:
                    self.fake.holding -= 1
        return False
