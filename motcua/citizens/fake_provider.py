"""A local OpenID Connect provider for the demo and the tests: a real implementation of the provider's side
of the authorization-code flow, on the standard library's HTTP server, with joserfc's JWK and JWT pieces.

- `GET /.well-known/openid-configuration`: the discovery document (issuer, endpoints, algorithms);
- `GET /jwks`: the public keys (RS256, each with its `kid`; after a rotation the previous key stays published);
- `GET /authorize`: checks the client, the redirect URI (registered, or an http address on 127.0.0.1/localhost
  when none is registered), `response_type=code`, a PKCE S256 challenge, and shows a small form to choose a
  test citizen; `POST /authorize` issues a single-use code (60 s) and redirects with `code` and `state`
  (or `error=access_denied` when refused);
- `POST /token`: authenticates the client (client_secret_basic or client_secret_post), checks the code, its
  redirect URI and the PKCE verifier, and answers an access token and an ID token signed with the current key
  (claims: iss, sub, aud, exp, iat, auth_time, nonce, the personal number and the profile claims);
- `GET /userinfo`: the claims for a Bearer access token;
- `POST /_rotate`: a new signing key with a new `kid`;
- `POST /_misbehave` (`mode=wrong_nonce|wrong_audience|expired|unknown_key|none`): the next ID token is issued
  wrong in that way, to show that the relying party refuses it.

`manage.py fake_oidc_provider --port 8092` runs it; tests use `FakeOidcProvider(...).start()` on port 0.
Test data only: never point a production installation at it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

ID_CLAIM = "personal_id"

# Test citizens (invented numbers and people; province code 042 = Hà Tĩnh).
TEST_CITIZENS: list[dict] = [
    {
        ID_CLAIM: "042090001234",
        "name": "Nguyễn Thị Hoa",
        "birthdate": "1990-03-15",
        "address": {"formatted": "Số 12 đường Phan Đình Phùng, phường Bắc Hà, thành phố Hà Tĩnh, tỉnh Hà Tĩnh"},
        "phone_number": "0912000111",
        "email": "hoa.nguyen@example.vn",
        "email_verified": True,
    },
    {
        ID_CLAIM: "042085005678",
        "name": "Trần Văn Bình",
        "birthdate": "1985-11-02",
        "address": {"formatted": "Thôn Trung Hòa, xã Kỳ Trung, huyện Kỳ Anh, tỉnh Hà Tĩnh"},
        "phone_number": "0987000222",
        "email": "binh.tran@example.vn",
        "email_verified": True,
    },
    {
        ID_CLAIM: "042095009999",
        "name": "Lê Minh Châu",
        "birthdate": "1995-07-20",
        "address": {"formatted": "Tổ dân phố 5, phường Sông Trí, thị xã Kỳ Anh, tỉnh Hà Tĩnh"},
        "phone_number": "0903000333",
        "email": "chau.le@example.vn",
        "email_verified": True,
    },
]

MISBEHAVIOURS = {"none", "wrong_nonce", "wrong_audience", "expired", "unknown_key"}


def _new_key() -> RSAKey:
    kid = "k-" + secrets.token_hex(6)
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    citizen: dict
    nonce: str
    challenge: str
    scope: str
    expires: float


@dataclass
class ProviderState:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    citizens: list[dict]
    keys: list[RSAKey] = field(default_factory=lambda: [_new_key()])  # current first, then the previous one
    codes: dict[str, _Grant] = field(default_factory=dict)
    tokens: dict[str, dict] = field(default_factory=dict)
    misbehave: str = "none"
    profile_in_id_token: bool = True  # False: the ID token carries only sub, the profile is at /userinfo
    userinfo_sub: str = ""  # test switch: answer /userinfo with this sub instead of the token's
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rotate(self) -> str:
        with self.lock:
            self.keys = [_new_key(), self.keys[0]]
            return self.keys[0].kid


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeOIDC/1"
    state: ProviderState  # set on the subclass made per server
    issuer: str

    def log_message(self, format, *args):  # noqa: A002 - http.server API; quiet in tests
        pass

    # -------------------------------------------------------------------------------- helpers

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict, headers: dict | None = None) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8", headers)

    def _html(self, status: int, body: str) -> None:
        page = (
            '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng định danh thử nghiệm</title></head>'
            f"<body>{body}</body></html>"
        )
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _redirect(self, url: str) -> None:
        self._send(302, b"", "text/plain", {"Location": url})

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def _query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query, keep_blank_values=True).items()}

    # -------------------------------------------------------------------------------- routes

    def do_GET(self):  # noqa: N802 - http.server API
        path = urlsplit(self.path).path
        if path == "/.well-known/openid-configuration":
            return self._json(200, self._discovery())
        if path == "/jwks":
            with self.state.lock:
                keys = [k.as_dict(private=False) for k in self.state.keys]
            return self._json(200, {"keys": keys})
        if path == "/authorize":
            return self._authorize_form(self._query())
        if path == "/userinfo":
            return self._userinfo()
        if path == "/favicon.ico":
            return self._send(204, b"", "image/x-icon")
        if path == "/logout":
            target = self._query().get("post_logout_redirect_uri", "")
            if target and self._redirect_allowed(target):
                return self._redirect(target)
            return self._html(200, "<p>Đã đăng xuất khỏi Cổng định danh thử nghiệm.</p>")
        return self._json(404, {"error": "not_found"})

    def do_POST(self):  # noqa: N802 - http.server API
        path = urlsplit(self.path).path
        if path == "/authorize":
            return self._authorize_decide(self._form())
        if path == "/token":
            return self._token(self._form())
        if path == "/_rotate":
            return self._json(200, {"kid": self.state.rotate()})
        if path == "/_misbehave":
            mode = self._form().get("mode", "none")
            if mode not in MISBEHAVIOURS:
                return self._json(400, {"error": "invalid_request", "error_description": f"mode: {sorted(MISBEHAVIOURS)}"})
            self.state.misbehave = mode
            return self._json(200, {"mode": mode})
        return self._json(404, {"error": "not_found"})

    def _discovery(self) -> dict:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": base + "/authorize",
            "token_endpoint": base + "/token",
            "userinfo_endpoint": base + "/userinfo",
            "jwks_uri": base + "/jwks",
            "end_session_endpoint": base + "/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email", "phone", "address"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "nonce",
                ID_CLAIM,
                "name",
                "birthdate",
                "address",
                "phone_number",
                "email",
                "email_verified",
            ],
        }

    def _redirect_allowed(self, uri: str) -> bool:
        if self.state.redirect_uris:
            return uri in self.state.redirect_uris
        parts = urlsplit(uri)
        return parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost"}

    def _authorize_check(self, params: dict) -> str:
        if params.get("client_id") != self.state.client_id:
            return "client_id không đúng."
        if not self._redirect_allowed(params.get("redirect_uri", "")):
            return "redirect_uri chưa được đăng ký."
        if params.get("response_type") != "code":
            return "response_type phải là code."
        if "openid" not in params.get("scope", "").split():
            return "scope phải có openid."
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "Thiếu PKCE (code_challenge, phương thức S256)."
        if not params.get("state") or not params.get("nonce"):
            return "Thiếu state hoặc nonce."
        return ""

    def _authorize_form(self, params: dict) -> None:
        problem = self._authorize_check(params)
        if problem:  # never redirect to an unchecked address: show the error here (RFC 6749 §4.1.2.1)
            return self._html(400, f"<h1>Yêu cầu không hợp lệ</h1><p>{html.escape(problem)}</p>")
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k
            in {
                "client_id",
                "redirect_uri",
                "response_type",
                "scope",
                "state",
                "nonce",
                "code_challenge",
                "code_challenge_method",
            }
        )
        choices = "".join(
            f'<p><label><input type="radio" name="citizen" value="{html.escape(c[ID_CLAIM])}"{" checked" if i == 0 else ""}>'
            f" {html.escape(c['name'])} — {html.escape(c[ID_CLAIM])}</label></p>"
            for i, c in enumerate(self.state.citizens)
        )
        self._html(
            200,
            "<h1>Cổng định danh thử nghiệm</h1><p>Chọn công dân thử nghiệm để đăng nhập.</p>"
            f'<form method="post" action="/authorize">{hidden}{choices}'
            '<button type="submit" name="decision" value="allow">Đăng nhập</button> '
            '<button type="submit" name="decision" value="deny">Từ chối</button></form>',
        )

    def _authorize_decide(self, form: dict) -> None:
        problem = self._authorize_check(form)
        if problem:
            return self._html(400, f"<h1>Yêu cầu không hợp lệ</h1><p>{html.escape(problem)}</p>")
        redirect_uri = form["redirect_uri"]
        sep = "&" if "?" in redirect_uri else "?"
        if form.get("decision") != "allow":
            return self._redirect(redirect_uri + sep + urlencode({"error": "access_denied", "state": form["state"]}))
        citizen = next((c for c in self.state.citizens if c[ID_CLAIM] == form.get("citizen")), None)
        if citizen is None:
            return self._html(400, "<h1>Chưa chọn công dân</h1>")
        code = secrets.token_urlsafe(24)
        with self.state.lock:
            self.state.codes[code] = _Grant(
                client_id=form["client_id"],
                redirect_uri=redirect_uri,
                citizen=citizen,
                nonce=form["nonce"],
                challenge=form["code_challenge"],
                scope=form["scope"],
                expires=time.time() + 60,
            )
        self._redirect(redirect_uri + sep + urlencode({"code": code, "state": form["state"]}))

    def _client_authenticated(self, form: dict) -> bool:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                from urllib.parse import unquote

                client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                client_id, secret = unquote(client_id), unquote(secret)
            except ValueError:
                return False
        return client_id == self.state.client_id and hmac.compare_digest(secret.encode(), self.state.client_secret.encode())

    def _token(self, form: dict) -> None:
        if not self._client_authenticated(form):
            return self._json(401, {"error": "invalid_client"}, {"WWW-Authenticate": 'Basic realm="fake-oidc"'})
        if form.get("grant_type") != "authorization_code":
            return self._json(400, {"error": "unsupported_grant_type"})
        with self.state.lock:
            grant = self.state.codes.pop(form.get("code", ""), None)  # single use, even when the rest is wrong
        if grant is None or grant.expires < time.time() or grant.client_id != self.state.client_id:
            return self._json(400, {"error": "invalid_grant", "error_description": "code"})
        if form.get("redirect_uri") != grant.redirect_uri:
            return self._json(400, {"error": "invalid_grant", "error_description": "redirect_uri"})
        verifier = form.get("code_verifier", "")
        if not (43 <= len(verifier) <= 128) or not hmac.compare_digest(_s256(verifier), grant.challenge):
            return self._json(400, {"error": "invalid_grant", "error_description": "code_verifier"})
        access_token = secrets.token_urlsafe(32)
        claims = self._claims(grant)
        with self.state.lock:
            self.state.tokens[access_token] = claims
            mode, self.state.misbehave = self.state.misbehave, "none"
            key = self.state.keys[0]
        id_claims = dict(claims) if self.state.profile_in_id_token else {"sub": claims["sub"]}
        now = int(time.time())
        id_claims.update(
            {
                "iss": self.issuer,
                "aud": self.state.client_id,
                "iat": now,
                "auth_time": now,
                "exp": now + 300,
                "nonce": grant.nonce,
            }
        )
        if mode == "wrong_nonce":
            id_claims["nonce"] = secrets.token_urlsafe(16)
        elif mode == "wrong_audience":
            id_claims["aud"] = "ung-dung-khac"
        elif mode == "expired":
            id_claims.update({"iat": now - 3600, "auth_time": now - 3600, "exp": now - 1800})
        elif mode == "unknown_key":
            key = _new_key()
        id_token = jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, id_claims, key)
        self._json(
            200,
            {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token, "scope": grant.scope},
        )

    def _claims(self, grant: _Grant) -> dict:
        citizen = grant.citizen
        # A pairwise subject: stable for this client and citizen, not the personal number itself.
        sub = hashlib.sha256(f"{self.state.client_id}:{citizen[ID_CLAIM]}".encode()).hexdigest()[:32]
        scopes = set(grant.scope.split())
        claims = {"sub": sub, ID_CLAIM: citizen[ID_CLAIM]}
        if "profile" in scopes:
            claims.update({k: citizen[k] for k in ("name", "birthdate", "preferred_username") if k in citizen})
        if "address" in scopes and "address" in citizen:
            claims["address"] = citizen["address"]
        if "phone" in scopes and "phone_number" in citizen:
            claims["phone_number"] = citizen["phone_number"]
        if "email" in scopes and "email" in citizen:
            claims.update({"email": citizen["email"], "email_verified": citizen.get("email_verified", False)})
        return claims

    def _userinfo(self) -> None:
        auth = self.headers.get("Authorization", "")
        claims = self.state.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if claims is None:
            return self._json(401, {"error": "invalid_token"}, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        self._json(200, {**claims, "sub": self.state.userinfo_sub} if self.state.userinfo_sub else claims)


class FakeOidcProvider:
    """The provider as an object: `start()` serves it in a thread (port 0 = a free port), `url` is its issuer."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        redirect_uris: list[str] | None = None,
        citizens: list[dict] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        public_url: str = "",
    ) -> None:
        self.state = ProviderState(
            client_id=client_id,
            client_secret=client_secret,
            redirect_uris=list(redirect_uris or []),
            citizens=list(citizens or TEST_CITIZENS),
        )
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        handler.issuer = (public_url or f"http://{host}:{self.server.server_address[1]}").rstrip("/")
        self.url = handler.issuer
        self._thread: threading.Thread | None = None

    def start(self) -> FakeOidcProvider:
        self._thread = threading.Thread(target=self.server.serve_forever, name="fake-oidc", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def rotate(self) -> str:
        return self.state.rotate()

    @property
    def current_kid(self) -> str:
        return self.state.keys[0].kid

    def keyset(self) -> KeySet:
        return KeySet(list(self.state.keys))
