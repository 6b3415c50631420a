"""Retention of scheduled points (schedules/retention.py): which points a run deletes."""

from __future__ import annotations

import datetime

import pytest

from protection_dashboard.schedules.retention import (
    SCHEDULE_TAG,
    Point,
    Retention,
    kept,
    to_delete,
)

ME = "5c7e0f3a9b2d4e6f8a1b3c5d7e9f0a2b"  # schedule ids are 32 hex digits (workflow.py)
OTHER = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
SUCCESS = frozenset({"available"})
DELETABLE = frozenset({"available", "error"})


def point(pid: str, created: str, schedule: str | None = ME, status: str = "available",
          resource: str = "v1"):
    """A point of ``resource`` made at ``created`` (UTC, as Cinder gives it: no offset)."""
    return Point(pid, datetime.datetime.fromisoformat(created), schedule, status, resource)


def daily_points(first: datetime.date, days: int) -> list[Point]:
    """One point of this schedule a day at 02:00 UTC, named by its date (d-MM-DD)."""
    dates = [first + datetime.timedelta(days=n) for n in range(days)]
    return [point(f"d-{d:%m-%d}", f"{d.isoformat()}T02:00:00") for d in dates]


THREE_OWN = [point("a", "2026-12-01T10:00:00"), point("b", "2026-12-02T10:00:00"),
             point("c", "2026-12-03T10:00:00")]

# (case, rule, points, ids deleted, oldest first)
CASES = [
    ("keeps the newest N", Retention(2), THREE_OWN, ["a"]),
    ("fewer than N: nothing", Retention(5), THREE_OWN, []),
    ("each resource keeps its own newest N", Retention(1),
     [*THREE_OWN, point("w-old", "2026-11-01T10:00:00", resource="v2"),
      point("w-new", "2026-11-02T10:00:00", resource="v2")],
     ["w-old", "a", "b"]),
    ("a resource's only point stays, however new the others are", Retention(2),
     [*THREE_OWN, point("w", "2026-01-01T10:00:00", resource="v2")], ["a"]),
    ("points of the same second: the greater id is the newer", Retention(1),
     [point("s2", "2026-12-01T10:00:00"), point("s1", "2026-12-01T10:00:00"),
      point("s3", "2026-12-01T10:00:00")],
     ["s1", "s2"]),
    ("exactly N: nothing", Retention(3), THREE_OWN, []),
    ("input order does not matter", Retention(1), THREE_OWN[::-1], ["a", "b"]),
    ("hand-made and foreign points are never deleted", Retention(1),
     [point("hand", "2026-11-01T00:00:00", schedule=None),
      point("foreign", "2026-11-02T00:00:00", schedule=OTHER), *THREE_OWN],
     ["a", "b"]),
    ("a point in progress is neither deleted nor counted as kept", Retention(2),
     [*THREE_OWN, point("new", "2026-12-04T10:00:00", status="creating")], ["a"]),
    ("a failed point of the schedule is deleted, never kept", Retention(2),
     [*THREE_OWN, point("bad", "2026-12-04T10:00:00", status="error")], ["a", "bad"]),
    ("a point the service cannot delete now stays", Retention(1),
     [*THREE_OWN, point("going", "2026-11-30T10:00:00", status="error_deleting")],
     ["a", "b"]),
    ("daily: the first point of each of the last D days", Retention(1, daily=2),
     [point("d1-08", "2026-12-01T08:00:00"), point("d2-08", "2026-12-02T08:00:00"),
      point("d2-20", "2026-12-02T20:00:00"), point("d3-08", "2026-12-03T08:00:00"),
      point("d3-20", "2026-12-03T20:00:00")],
     ["d1-08", "d2-20"]),
    ("daily in UTC: 23:30 UTC is the same day as 22:30", Retention(1, daily=2),
     [point("late", "2026-12-01T22:30:00"), point("later", "2026-12-01T23:30:00"),
      point("next", "2026-12-02T10:00:00")],
     ["later"]),
    ("daily in Berlin: 23:30 UTC is already the next day", Retention(
        1, daily=2, timezone="Europe/Berlin"),
     [point("late", "2026-12-01T22:30:00"), point("later", "2026-12-01T23:30:00"),
      point("next", "2026-12-02T10:00:00")],
     []),
    ("weekly: ISO weeks (Monday 2026-11-30 starts week 49)", Retention(1, weekly=2),
     [point("w47", "2026-11-18T02:00:00"), point("w48-mon", "2026-11-23T02:00:00"),
      point("w48-sun", "2026-11-29T02:00:00"), point("w49-mon", "2026-11-30T02:00:00"),
      point("w49-thu", "2026-12-03T02:00:00")],
     ["w47", "w48-sun"]),
    ("monthly: the first of each of the last M months", Retention(1, monthly=2),
     [point("oct", "2026-10-05T02:00:00"), point("nov-1", "2026-11-01T02:00:00"),
      point("nov-2", "2026-11-02T02:00:00"), point("dec-1", "2026-12-01T02:00:00"),
      point("dec-2", "2026-12-02T02:00:00")],
     ["oct", "nov-2"]),
]


@pytest.mark.parametrize(("rule", "points", "deleted"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_to_delete(rule, points, deleted):
    assert to_delete(ME, rule, points, protect_succeeded=True, success_statuses=SUCCESS,
                     deletable_statuses=DELETABLE) == deleted


@pytest.mark.parametrize(("rule", "points"), [case[1:3] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_a_run_whose_protect_step_failed_deletes_nothing(rule, points):
    assert to_delete(ME, rule, points, protect_succeeded=False, success_statuses=SUCCESS,
                     deletable_statuses=DELETABLE) == []


def test_seven_daily_and_the_first_of_each_month_for_three_months():
    # The cron user's classic rule: a point a day, 7 kept, and each month's first for 3.
    points = daily_points(datetime.date(2026, 9, 15), 80)  # 15 Sep .. 3 Dec
    rule = Retention(7, monthly=3)
    assert sorted(kept(rule, points)) == [
        "d-10-01", "d-11-01", "d-11-27", "d-11-28", "d-11-29", "d-11-30", "d-12-01",
        "d-12-02", "d-12-03"]
    deleted = to_delete(ME, rule, points, protect_succeeded=True, success_statuses=SUCCESS,
                        deletable_statuses=DELETABLE)
    assert len(deleted) == 71 and deleted[0] == "d-09-15" and "d-10-01" not in deleted


def test_another_schedule_id_selects_only_its_own_points():
    points = [*THREE_OWN, point("x1", "2026-11-01T00:00:00", schedule=OTHER),
              point("x2", "2026-11-02T00:00:00", schedule=OTHER)]
    assert to_delete(OTHER, Retention(1), points, protect_succeeded=True,
                     success_statuses=SUCCESS, deletable_statuses=DELETABLE) == ["x1"]


@pytest.mark.parametrize("kwargs", [{"keep_newest": 0}, {"keep_newest": 1, "daily": -1},
                                    {"keep_newest": 1, "monthly": -2}])
def test_a_rule_that_could_delete_every_point_is_refused(kwargs):
    with pytest.raises(ValueError):
        Retention(**kwargs)


def test_an_unknown_timezone_is_refused_when_the_rule_is_made():
    with pytest.raises(KeyError):
        Retention(1, daily=1, timezone="Mars/Olympus_Mons")


def test_by_period():
    assert not Retention(3).by_period
    assert Retention(3, weekly=1).by_period


def test_point_from_a_cinder_record():
    record = {"id": "s1", "created_at": "2026-12-03T15:04:05.000000", "status": "Available",
              "metadata": {SCHEDULE_TAG: ME, "other": "x"}, "name": "n", "volume_id": "v9"}
    assert Point.from_record(record, "volume_id") == Point(
        "s1", datetime.datetime(2026, 12, 3, 15, 4, 5), ME, "available", "v9")
    hand_made = Point.from_record({"id": "s2", "created_at": "2026-12-03T15:04:05",
                                   "status": "creating", "metadata": None}, "volume_id")
    assert hand_made.schedule_id is None
