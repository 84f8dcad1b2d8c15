"""Bare WSGI hello-world: the baseline every benchmark scenario is compared with.

It runs under exactly the same gunicorn configuration as the application, so the difference between the
two figures is the cost of motcua (Django, middleware, database), not of the server, the load tool or the
machine.
"""

BODY = b'{"status": "ok"}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
