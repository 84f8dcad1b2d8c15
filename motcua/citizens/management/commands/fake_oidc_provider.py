"""Run the local OpenID Connect test provider (motcua.citizens.fake_provider) for the demo.

    CITIZEN_OIDC_CLIENT_ID=motcua CITIZEN_OIDC_CLIENT_SECRET=... python manage.py fake_oidc_provider --port 8092

then run motcua with CITIZEN_OIDC_ISSUER=http://127.0.0.1:8092 and the same client id and secret."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.citizens.fake_provider import TEST_CITIZENS, FakeOidcProvider
from motcua.citizens.selectors import applicants_as_test_citizens


class Command(BaseCommand):
    help = "Chạy Cổng định danh thử nghiệm (OpenID Connect) trên máy này, cho demo và kiểm thử."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8092)
        parser.add_argument("--client-id", default="", help="default: CITIZEN_OIDC_CLIENT_ID")
        parser.add_argument("--client-secret", default="", help="default: CITIZEN_OIDC_CLIENT_SECRET")
        parser.add_argument(
            "--redirect-uri",
            action="append",
            default=[],
            help="registered redirect URI (repeatable); none: any http address on 127.0.0.1 or localhost",
        )
        parser.add_argument("--public-url", default="", help="the issuer as browsers reach it (default http://HOST:PORT)")
        parser.add_argument(
            "--citizens-from-dossiers",
            type=int,
            default=0,
            metavar="N",
            help="also offer the N newest individual applicants of this database's dossiers (demo: their dossiers show)",
        )

    def handle(self, *args, **opts):
        client_id = opts["client_id"] or settings.CITIZEN_OIDC_CLIENT_ID
        secret = opts["client_secret"] or settings.CITIZEN_OIDC_CLIENT_SECRET
        if not client_id or not secret:
            raise CommandError("Cần --client-id và --client-secret (hoặc CITIZEN_OIDC_CLIENT_ID, CITIZEN_OIDC_CLIENT_SECRET).")
        provider = FakeOidcProvider(
            client_id=client_id,
            client_secret=secret,
            redirect_uris=opts["redirect_uri"],
            host=opts["host"],
            port=opts["port"],
            public_url=opts["public_url"],
            citizens=TEST_CITIZENS + applicants_as_test_citizens(limit=max(opts["citizens_from_dossiers"], 0)),
        )
        self.stdout.write(f"Cổng định danh thử nghiệm: {provider.url} (issuer), client_id={client_id}")
        citizens = provider.state.citizens
        self.stdout.write("Công dân thử nghiệm: " + ", ".join(f"{c['name']} {c['personal_id']}" for c in citizens))
        self.stdout.write(f"Đổi khóa ký: curl -X POST {provider.url}/_rotate")
        self.stdout.flush()  # the address first, before serving (a parent process reads it)
        try:
            provider.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            provider.server.server_close()
