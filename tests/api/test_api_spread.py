"""Pre-forked workers share out the connections they accept (redline.api.server.Spread)."""

from __future__ import annotations

import os

from redline.api.server import Spread


def test_a_worker_holding_more_connections_leaves_new_ones_to_the_others() -> None:
    spread = Spread(3)
    for slot, held in enumerate((4, 2, 2)):
        spread.publish(slot, held)
    assert not spread.fewest(0)
    assert spread.fewest(1) and spread.fewest(2)  # a tie: either takes it
    spread.publish(1, 3)
    assert spread.fewest(2) and not spread.fewest(1)


def test_the_counts_are_shared_with_forked_workers() -> None:
    spread = Spread(2)
    pid = os.fork()
    if pid == 0:
        spread.publish(1, 7)
        os._exit(0)
    os.waitpid(pid, 0)
    assert spread.counts[1] == 7 and spread.fewest(0)


def test_a_crowded_worker_leaves_connections_until_the_difference_is_one() -> None:
    spread = Spread(2)
    spread.publish(0, 8)
    spread.publish(1, 0)
    assert not spread.leave_one()  # the parent, or a worker before its slot is known
    spread.slot = 0
    left = 0
    while spread.leave_one():
        left += 1
    assert left == 7 and spread.counts[0] == 1  # 1 against 0: no closing over a difference of one
    spread.slot = 1
    assert not spread.leave_one()
