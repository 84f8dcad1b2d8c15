"""The private lookup secret printed on the receipt (BM.01): only its keyed hash is stored, and the public
lookup compares hashes (dossiers.selectors.dossier_lookup)."""

import hashlib
import hmac
import secrets

from django.conf import settings


def new_lookup_secret() -> str:
    return secrets.token_hex(4).upper()


def lookup_secret_hash(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()
