"""API authentication: DRF tokens with a short per-process memory.

DRF's TokenAuthentication costs two queries per request (token with user, then the user's roles) and the
agency checks need the user's unit: on the hot API paths (dossier read, intake) that was a third of the
work. A token seen in the last `MOTCUA_TOKEN_CACHE_SECONDS` (default 10) is answered from memory with the
user, roles and unit loaded once. A deleted token, a deactivated user or changed roles take effect at once
in the process that made the change (signals below clear the memory) and within that many seconds in the
other server processes."""

from __future__ import annotations

import copy
import threading
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from .roles import user_roles

MAX_ENTRIES = 10_000  # a bound, not a tuning knob: the memory is cleared when it is reached

_memory: dict[str, tuple[float, object, Token]] = {}
_lock = threading.Lock()


def forget_tokens(**_kwargs) -> None:
    """Drop every remembered token (any change to tokens, users or their roles)."""
    with _lock:
        _memory.clear()


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        ttl = settings.MOTCUA_TOKEN_CACHE_SECONDS
        now = time.monotonic()
        hit = _memory.get(key)
        if hit is not None and hit[0] > now:
            # Each request gets its own copy: views may set attributes on request.user.
            return copy.copy(hit[1]), hit[2]
        user, token = super().authenticate_credentials(key)
        if ttl > 0:
            user_roles(user)  # loaded once and kept on the instance (roles._motcua_roles)
            if getattr(user, "unit_id", None):
                user.unit  # noqa: B018 - load the unit (agency checks) into the instance's cache
            with _lock:
                if len(_memory) >= MAX_ENTRIES:
                    _memory.clear()
                _memory[key] = (now + ttl, user, token)
            return copy.copy(user), token
        return user, token


post_save.connect(forget_tokens, sender=Token, dispatch_uid="motcua.token.save")
post_delete.connect(forget_tokens, sender=Token, dispatch_uid="motcua.token.delete")
post_save.connect(forget_tokens, sender=get_user_model(), dispatch_uid="motcua.user.save")
post_delete.connect(forget_tokens, sender=get_user_model(), dispatch_uid="motcua.user.delete")
m2m_changed.connect(forget_tokens, sender=get_user_model().groups.through, dispatch_uid="motcua.user.groups")
