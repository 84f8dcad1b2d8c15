"""The relying party's side of OpenID Connect: authorization-code flow with PKCE (S256), state and nonce,
configured only through the issuer's discovery document.

Authlib does the OAuth 2.0 protocol (the authorization URL with the PKCE challenge, the code exchange at the
token endpoint with the client's authentication); joserfc verifies the ID token against the provider's JWKS:
signature (asymmetric algorithms the provider announces, never `none` or HMAC), issuer, audience (and `azp`
when there are several), expiry and issue time (60 s leeway), and the nonce this browser was given. When a
token names a `kid` that the cached key set does not have, the key set is fetched again once (the provider
rotated its keys). Every refusal is an `OidcError` with a message in Vietnamese for the citizen."""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from dataclasses import dataclass

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import OAuth2Error
from django.conf import settings
from django.utils.translation import gettext as _
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

from motcua.core.validators import ascii_int

logger = logging.getLogger(__name__)

ASYMMETRIC_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LEEWAY_SECONDS = 60
METADATA_TTL_SECONDS = 3600
JWKS_MIN_REFRESH_SECONDS = 5  # an unknown kid refetches the key set at most this often (a flood of forged kids)


class OidcError(Exception):
    """A refused sign-in. `reason`: a short code for logs and tests; `message`: what the citizen reads."""

    def __init__(self, reason: str, message: str, *, status: int = 400) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.status = status


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    id_claim: str
    scopes: str
    claims: dict
    timeout: float

    @classmethod
    def from_settings(cls) -> OidcConfig:
        if not (settings.CITIZEN_OIDC_ISSUER and settings.CITIZEN_OIDC_CLIENT_ID):
            raise OidcError(
                "not_configured",
                _("Chức năng đăng nhập bằng tài khoản định danh điện tử chưa được cấu hình trên hệ thống này."),
                status=503,
            )
        return cls(
            issuer=settings.CITIZEN_OIDC_ISSUER.rstrip("/"),
            client_id=settings.CITIZEN_OIDC_CLIENT_ID,
            client_secret=settings.CITIZEN_OIDC_CLIENT_SECRET,
            id_claim=settings.CITIZEN_OIDC_ID_CLAIM,
            scopes=settings.CITIZEN_OIDC_SCOPES,
            claims=dict(settings.CITIZEN_OIDC_CLAIMS),
            timeout=settings.CITIZEN_OIDC_TIMEOUT_SECONDS,
        )

    @classmethod
    def for_staff(cls) -> OidcConfig:
        """The staff provider (STAFF_OIDC_*): the same flow and checks; the "id claim" is the one naming the staff
        member's username, and no profile claim is taken."""
        if not (settings.STAFF_OIDC_ISSUER and settings.STAFF_OIDC_CLIENT_ID):
            raise OidcError(
                "not_configured",
                _("Đăng nhập cán bộ bằng tài khoản định danh chưa được cấu hình trên hệ thống này."),
                status=503,
            )
        return cls(
            issuer=settings.STAFF_OIDC_ISSUER.rstrip("/"),
            client_id=settings.STAFF_OIDC_CLIENT_ID,
            client_secret=settings.STAFF_OIDC_CLIENT_SECRET,
            id_claim=settings.STAFF_OIDC_USERNAME_CLAIM,
            scopes=settings.STAFF_OIDC_SCOPES,
            claims={},
            timeout=settings.CITIZEN_OIDC_TIMEOUT_SECONDS,
        )


def _unreachable() -> OidcError:
    return OidcError(
        "provider_unreachable",
        _("Không kết nối được với Cổng định danh. Vui lòng thử lại sau ít phút."),
        status=502,
    )


# ------------------------------------------------------------------------------ discovery and keys


class _ProviderCache:
    """The discovery document and the key set of each issuer, remembered per process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.metadata: dict[str, tuple[float, dict]] = {}
        self.keys: dict[str, tuple[float, KeySet]] = {}

    def clear(self) -> None:
        with self.lock:
            self.metadata.clear()
            self.keys.clear()


CACHE = _ProviderCache()


def _get_json(url: str, timeout: float) -> dict:
    try:
        response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC: GET %s failed: %s", url, exc)
        raise _unreachable() from exc
    if not isinstance(data, dict):
        raise _unreachable()
    return data


def provider_metadata(cfg: OidcConfig) -> dict:
    """The issuer's discovery document (OpenID Connect Discovery 1.0), checked: its `issuer` is ours and it
    names the endpoints the flow needs."""
    now = time.monotonic()
    with CACHE.lock:
        cached = CACHE.metadata.get(cfg.issuer)
    if cached and now - cached[0] < METADATA_TTL_SECONDS:
        return cached[1]
    data = _get_json(cfg.issuer + "/.well-known/openid-configuration", cfg.timeout)
    if str(data.get("issuer", "")).rstrip("/") != cfg.issuer:
        logger.error("OIDC: discovery issuer %r is not %r", data.get("issuer"), cfg.issuer)
        raise OidcError("issuer_mismatch", _("Cấu hình Cổng định danh không khớp (issuer). Vui lòng báo quản trị hệ thống."))
    missing = [k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not data.get(k)]
    if missing:
        raise OidcError("discovery_incomplete", _("Cấu hình Cổng định danh thiếu thông tin. Vui lòng báo quản trị hệ thống."))
    with CACHE.lock:
        CACHE.metadata[cfg.issuer] = (now, data)
    return data


def provider_keys(cfg: OidcConfig, *, refresh: bool = False) -> KeySet:
    now = time.monotonic()
    with CACHE.lock:
        cached = CACHE.keys.get(cfg.issuer)
    if cached and not refresh and now - cached[0] < METADATA_TTL_SECONDS:
        return cached[1]
    if cached and refresh and now - cached[0] < JWKS_MIN_REFRESH_SECONDS:
        return cached[1]
    data = _get_json(provider_metadata(cfg)["jwks_uri"], cfg.timeout)
    try:
        keys = KeySet.import_key_set({"keys": [k for k in data.get("keys", []) if k.get("use", "sig") == "sig"]})
    except (JoseError, ValueError, TypeError) as exc:
        logger.warning("OIDC: unusable JWKS from %s: %s", cfg.issuer, exc)
        raise _unreachable() from exc
    with CACHE.lock:
        CACHE.keys[cfg.issuer] = (now, keys)
    return keys


def _has_kid(keys: KeySet, kid: str) -> bool:
    return any(k.kid == kid for k in keys.keys)


# ------------------------------------------------------------------------------ the flow


@dataclass(frozen=True)
class Pending:
    """What the browser's session keeps between the redirect to the provider and the callback."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    created: float


def _session(cfg: OidcConfig, metadata: dict, redirect_uri: str) -> OAuth2Session:
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    method = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
    return OAuth2Session(
        client_id=cfg.client_id,
        client_secret=cfg.client_secret,
        token_endpoint_auth_method=method,
        scope=cfg.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def authorization_request(cfg: OidcConfig, *, redirect_uri: str) -> tuple[str, Pending]:
    """The provider's authorization URL (with state, nonce and the S256 challenge) and what to keep."""
    metadata = provider_metadata(cfg)
    methods = metadata.get("code_challenge_methods_supported")
    if methods is not None and "S256" not in methods:
        raise OidcError("pkce_unsupported", _("Cổng định danh không hỗ trợ PKCE (S256). Vui lòng báo quản trị hệ thống."))
    pending = Pending(
        state=generate_token(32),
        nonce=generate_token(32),
        code_verifier=generate_token(64),
        redirect_uri=redirect_uri,
        created=time.time(),
    )
    client = _session(cfg, metadata, redirect_uri)
    url, _state = client.create_authorization_url(
        metadata["authorization_endpoint"], state=pending.state, code_verifier=pending.code_verifier, nonce=pending.nonce
    )
    return url, pending


def complete(cfg: OidcConfig, *, pending: Pending | None, params: dict) -> dict:
    """Finish the sign-in from the callback's query parameters: check the state, exchange the code (PKCE
    verifier, client authentication), verify the ID token. Returns its verified claims."""
    if pending is None or not hmac.compare_digest(str(params.get("state", "")), pending.state):
        raise OidcError(
            "state_mismatch",
            _("Yêu cầu đăng nhập không hợp lệ hoặc đã hết hạn (mã state không khớp). Vui lòng đăng nhập lại từ đầu."),
        )
    if time.time() - pending.created > 15 * 60:
        raise OidcError("pending_expired", _("Yêu cầu đăng nhập đã quá 15 phút. Vui lòng đăng nhập lại."))
    if params.get("error"):
        logger.info("OIDC: provider answered error=%s", params.get("error"))
        if params.get("error") == "access_denied":
            raise OidcError("access_denied", _("Ông/Bà đã không đồng ý đăng nhập tại Cổng định danh."))
        raise OidcError("provider_error", _("Cổng định danh từ chối yêu cầu đăng nhập. Vui lòng thử lại."))
    code = str(params.get("code", ""))
    if not code:
        raise OidcError("no_code", _("Cổng định danh không trả về mã xác thực. Vui lòng đăng nhập lại."))
    metadata = provider_metadata(cfg)
    client = _session(cfg, metadata, pending.redirect_uri)
    try:
        token = client.fetch_token(
            metadata["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=pending.code_verifier,
            timeout=cfg.timeout,
        )
    except OAuth2Error as exc:
        logger.warning("OIDC: token endpoint refused the code: %s", exc)
        raise OidcError(
            "token_refused", _("Cổng định danh không chấp nhận mã xác thực (đã dùng hoặc hết hạn). Vui lòng đăng nhập lại.")
        )
    except requests.RequestException as exc:
        logger.warning("OIDC: token endpoint unreachable: %s", exc)
        raise _unreachable() from exc
    id_token = token.get("id_token")
    if not id_token:
        raise OidcError("no_id_token", _("Cổng định danh không trả về thẻ định danh (ID token)."))
    claims = verify_id_token(cfg, id_token, nonce=pending.nonce)
    wanted = [cfg.id_claim, *(c for c in cfg.claims.values() if c)]
    if metadata.get("userinfo_endpoint") and any(c not in claims for c in wanted):
        claims = {**_userinfo(cfg, client, metadata["userinfo_endpoint"], subject=claims["sub"]), **claims}
    return claims


def _userinfo(cfg: OidcConfig, client: OAuth2Session, url: str, *, subject: str) -> dict:
    """The UserInfo claims (for providers that keep the profile out of the ID token), only when their `sub`
    is the ID token's (OpenID Connect Core §5.3.2)."""
    try:
        response = client.get(url, timeout=cfg.timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError, OAuth2Error) as exc:
        logger.warning("OIDC: userinfo failed: %s", exc)
        raise _unreachable() from exc
    if not isinstance(data, dict) or str(data.get("sub", "")) != str(subject):
        raise OidcError("userinfo_subject", _("Thông tin người dùng từ Cổng định danh không khớp với thẻ định danh (sub)."))
    return data


def verify_id_token(cfg: OidcConfig, id_token: str, *, nonce: str) -> dict:
    metadata = provider_metadata(cfg)
    announced = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [a for a in announced if a in ASYMMETRIC_ALGS]
    bad_signature = OidcError(
        "bad_signature", _("Chữ ký của thẻ định danh không hợp lệ. Hệ thống không chấp nhận lần đăng nhập này.")
    )
    try:
        header = jws.extract_compact(id_token.encode()).protected
    except (JoseError, ValueError) as exc:
        raise bad_signature from exc
    if header.get("alg") not in algorithms:
        raise bad_signature
    keys = provider_keys(cfg)
    kid = header.get("kid")
    if kid and not _has_kid(keys, kid):
        keys = provider_keys(cfg, refresh=True)  # the provider may have rotated its keys
        if not _has_kid(keys, kid):
            raise OidcError(
                "unknown_key", _("Thẻ định danh được ký bằng khóa không có trong danh sách khóa công khai của Cổng định danh.")
            )
    try:
        claims = jwt.decode(id_token, keys, algorithms=algorithms).claims
    except BadSignatureError as exc:
        raise bad_signature from exc
    except (JoseError, ValueError) as exc:
        raise bad_signature from exc

    if str(claims.get("iss", "")).rstrip("/") != cfg.issuer:
        raise OidcError("wrong_issuer", _("Thẻ định danh không do Cổng định danh đã cấu hình cấp (issuer sai)."))
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if cfg.client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != cfg.client_id):
        raise OidcError(
            "wrong_audience", _("Thẻ định danh được cấp cho một ứng dụng khác (audience sai). Hệ thống không chấp nhận.")
        )
    try:
        jwt.JWTClaimsRegistry(leeway=LEEWAY_SECONDS, exp={"essential": True}, iat={"essential": True}).validate(claims)
    except ExpiredTokenError as exc:
        raise OidcError("expired", _("Thẻ định danh đã hết hạn. Vui lòng đăng nhập lại.")) from exc
    except JoseError as exc:
        raise OidcError("bad_times", _("Thời điểm cấp hoặc hết hạn của thẻ định danh không hợp lệ.")) from exc
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcError(
            "wrong_nonce",
            _(
                "Thẻ định danh không khớp với yêu cầu đăng nhập của trình duyệt này (nonce sai): có thể là phản hồi cũ "
                "hoặc giả mạo. Vui lòng đăng nhập lại."
            ),
        )
    if not claims.get("sub"):
        raise OidcError("no_subject", _("Thẻ định danh thiếu định danh người dùng (sub)."))
    return dict(claims)


def mapped_claims(cfg: OidcConfig, claims: dict) -> dict:
    """The personal number and the profile fields named by the claim mapping (strings; "" when absent)."""
    personal_id = str(claims.get(cfg.id_claim, "")).strip()
    if not (len(personal_id) == 12 and ascii_int(personal_id) is not None):
        raise OidcError(
            "no_personal_id", _("Thẻ định danh không có số định danh cá nhân 12 chữ số. Hệ thống không thể xác định Ông/Bà.")
        )
    out = {"personal_id": personal_id}
    for field, claim in cfg.claims.items():
        value = claims.get(claim) if claim else None
        if isinstance(value, dict):  # the standard address claim is an object: take its formatted form
            value = value.get("formatted") or ", ".join(str(v) for v in value.values() if v)
        out[field] = " ".join(str(value).split()) if value not in (None, "") and not isinstance(value, list | bool) else ""
    return out


def pending_to_session(pending: Pending) -> dict:
    return json.loads(json.dumps(pending.__dict__))


def pending_from_session(data) -> Pending | None:
    if not isinstance(data, dict):
        return None
    try:
        return Pending(**data)
    except TypeError:
        return None
