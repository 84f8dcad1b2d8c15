"""Shared by the integration tests: deliver everything due, and a dossier driven through its lifecycle."""

from motcua.dossiers.tests.factories import World, receive
from motcua.dossiers.transitions import (
    dossier_accept,
    dossier_confirm_payment,
    dossier_decide,
    dossier_forward,
    dossier_receive_supplement,
    dossier_refuse,
    dossier_request_supplement,
    dossier_require_payment,
    dossier_return_result,
    dossier_stop,
    dossier_withdraw,
)
from motcua.integrations.services import deliver_due


def drain(rounds: int = 50) -> dict[str, int]:
    """Call the worker's delivery until nothing is due (the back-off is 0 in these tests)."""
    total: dict[str, int] = {}
    for _ in range(rounds):
        done = deliver_due()
        for name, n in done.items():
            total[name] = total.get(name, 0) + n
        if not any(done.values()):
            break
    return total


def full_lifecycle(world: World):
    """An online dossier through every open status: 1, 2, 4, 5, 4, 6, 4, 9, 10."""
    boss = world.boss
    d = receive(world, channel="online")
    d = dossier_accept(dossier=d, actor=world.officer)
    d = dossier_forward(dossier=d, actor=boss)
    d = dossier_request_supplement(dossier=d, actor=boss, items=["Bản sao giấy phép"])
    d = dossier_receive_supplement(dossier=d, actor=boss)
    d = dossier_require_payment(dossier=d, actor=boss, amount_vnd=50000)
    d = dossier_confirm_payment(dossier=d, actor=boss)
    d = dossier_decide(dossier=d, actor=boss, outcome="approved")
    d = dossier_return_result(dossier=d, actor=boss)
    return d


LIFECYCLE_CODES = [1, 2, 4, 5, 4, 6, 4, 9, 10]


def ended_dossiers(world: World):
    """Dossiers ending refused (3), withdrawn (7), stopped (8)."""
    boss = world.boss
    refused = dossier_refuse(dossier=receive(world, channel="counter"), actor=boss, reason="Không thuộc thẩm quyền")
    withdrawn = dossier_withdraw(dossier=receive(world, channel="counter"), actor=boss, reason="Người nộp đề nghị rút")
    stopped = dossier_stop(dossier=receive(world, channel="counter"), actor=boss, reason="Dừng theo yêu cầu")
    return refused, withdrawn, stopped
