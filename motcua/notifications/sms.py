"""SMS adapter. The provider is chosen by settings.SMS_BACKEND (a dotted path); the default writes to the
log, which is what a laptop and the tests need. A provider backend implements `send(phone, text)` and
raises SmsError on failure so the worker retries."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("motcua.sms")


class SmsError(Exception):
    pass


class LoggingSmsBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def get_backend():
    return import_string(settings.SMS_BACKEND)()
