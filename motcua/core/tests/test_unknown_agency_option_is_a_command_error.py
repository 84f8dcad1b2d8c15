"""Every command with `--agency CODE` refuses a code no agency has (one rule: core.management.options)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.core.models import Agency

COMMANDS = [
    ("archive_year", ["--year", "2020", "--dry-run"]),
    ("reconcile_national_portal", []),
    ("reconcile_payments", ["--date", "01/12/2026"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("command", "args"), COMMANDS)
def test_an_unknown_agency_code_is_a_command_error_naming_it(command, args):
    code = "KHONG-CO-" + command.upper()
    assert not Agency.objects.filter(code=code).exists()
    with pytest.raises(CommandError) as refused:
        call_command(command, *args, "--agency", code)
    assert code in str(refused.value)
