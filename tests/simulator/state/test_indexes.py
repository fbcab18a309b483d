"""The store's indexes: creation order with ties and a clock moved back, expiry, due times."""

from __future__ import annotations

import datetime as dt

from notifications_python_client.simulator.state.indexes import CreationIndex, DueQueue

T0 = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.timezone.utc)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_newest_first_with_ties_listing_the_later_added_first() -> None:
    index = CreationIndex()
    for name, seconds in [("a", 0), ("b", 1), ("c", 1), ("d", 2)]:
        index.add(at(seconds), name)

    assert list(index.newest_first()) == ["d", "c", "b", "a"]


def test_a_clock_moved_back_still_gives_creation_order() -> None:
    index = CreationIndex()
    index.add(at(10), "late")
    index.add(at(5), "early")

    assert list(index.newest_first()) == ["late", "early"]


def test_created_before_is_strict() -> None:
    index = CreationIndex()
    for name, seconds in [("a", 0), ("b", 1), ("c", 1), ("d", 2)]:
        index.add(at(seconds), name)

    assert list(index.newest_first(at(1))) == ["a"]
    assert list(index.newest_first(at(0))) == []
    assert list(index.newest_first(at(99))) == ["d", "c", "b", "a"]


def test_expiry_removes_only_the_oldest_and_stops_at_the_first_in_date() -> None:
    index = CreationIndex()
    for seconds in range(10):
        index.add(at(seconds), f"n{seconds}")

    assert index.remove_created_before(at(3)) == ["n0", "n1", "n2"]
    assert index.remove_created_before(at(3)) == []
    assert len(index) == 7 and next(index.newest_first()) == "n9"


def test_the_due_queue_gives_what_is_due_earliest_first() -> None:
    queue = DueQueue()
    queue.push(at(5), "five")
    queue.push(at(1), "one")
    queue.push(at(1), "one again")
    queue.push(at(9), "nine")

    assert list(queue.pop_due(at(5))) == ["one", "one again", "five"]
    assert list(queue.pop_due(at(5))) == []
    assert len(queue) == 1
    queue.clear()
    assert list(queue.pop_due(at(99))) == []
