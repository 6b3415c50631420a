"""Protectables flags a schedule that stopped protecting a resource, on the real services.

Two schedules of one daily pattern, due a minute or so ahead, each run once by its
real cron trigger: one over a volume the admin reset to ``error`` (Cinder refuses
the run's snapshot, so the run fails with Cinder's message and leaves no point),
one over a healthy volume (its run makes a snapshot).  The overdue rule
(``schedules/overdue.py``) lets a run's point come until the next run plus an
hour's grace, a day later here.  Nobody waits a day: the Protectables view (its
real data path, schedule list and Schedule column) reads everything from the
services now, with the clock it reads, ``django.utils.timezone.now`` (as the unit
tests freeze it), moved to the moment that grace is over.
"""

from __future__ import annotations

import datetime
import html
from unittest import mock

import pytest
from django.test import RequestFactory

from protection_dashboard import api
from protection_dashboard.content.protectables import views
from protection_dashboard.content.protection_schedules.times import local_time, service_time
from protection_dashboard.schedules import overdue
from tests.integration import horizon_request
from tests.integration import test_protection_schedules as scheduled
from tests.integration.test_protection_schedules import (
    CRON_WAIT,
    make_schedule,
    new_volume,
    points,
)
from tests.polling import wait_status, wait_until

pytestmark = pytest.mark.integration
#: The schedule tests' fixture: schedules, then points, then volumes deleted after a test.
cleanup = scheduled.cleanup

#: Both schedules are made (a trust each, a few seconds) before their run.
MAKING_TIME = datetime.timedelta(seconds=40)


def next_minute_after(margin: datetime.timedelta) -> datetime.datetime:
    """The first whole minute (UTC) at least ``margin`` from now."""
    soon = datetime.datetime.now(datetime.UTC) + margin
    return soon.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)


def finished_cron_run(request, schedule_id):
    """The schedule's first run (started by its trigger), once it has ended."""
    def ended():
        runs = api.mistral.schedule_runs(request, schedule_id)
        return runs[-1] if runs and runs[-1].state in ('SUCCESS', 'ERROR') else None

    return wait_until(ended, CRON_WAIT, 'the cron run of %s ended' % schedule_id)


def schedule_cells(request, now=None):
    """``{volume id: the Schedule cell's HTML}`` of the Protectables page's volumes, as
    its view loads them (``now``: the time its clock reads, by default the real one)."""
    page = RequestFactory().get('/project/protectables/')
    page.user, page.session = request.user, {}
    view = views.IndexView()
    view.setup(page)
    table = view.get_tables()['volumes']
    with mock.patch('django.utils.timezone.now',
                    return_value=now or datetime.datetime.now(datetime.UTC)):
        assert view.handle_table(table) is None
    return {volume.id: str(table.columns['schedules'].get_data(volume))
            for volume in table.data}


def test_a_schedule_that_misses_its_run_is_flagged_overdue_and_a_kept_one_is_not(
        request_, cleanup, admin_session, cinder_client):
    healthy, broken = new_volume(request_, cleanup), new_volume(request_, cleanup)
    cinder_client(admin_session).volumes.reset_state(broken.id, 'error')
    wait_status(lambda: api.cinder.volume_get(request_, broken.id), {'error'})
    run_at = next_minute_after(MAKING_TIME)
    pattern = '%d %d * * *' % (run_at.minute, run_at.hour)
    failing = make_schedule(request_, [broken.id], pattern, cleanup)
    keeping = make_schedule(request_, [healthy.id], pattern, cleanup)
    assert {service_time(failing.next_execution_time),
            service_time(keeping.next_execution_time)} == {run_at}, 'made too late'

    # The page right now flags neither: a new schedule has promised no point yet.
    cells = schedule_cells(horizon_request.fresh(request_))
    for schedule, volume in ((failing, broken), (keeping, healthy)):
        assert schedule.name in cells[volume.id] and 'Overdue' not in cells[volume.id], cells

    failed = finished_cron_run(request_, failing.id)
    assert failed.state == 'ERROR', failed.state
    assert 'cannot be created when the volume is in error status' in failed.error, failed.error
    kept = finished_cron_run(request_, keeping.id)
    assert kept.state == 'SUCCESS', kept.error
    (point,) = points(request_, keeping.id, healthy.id)
    wait_status(lambda: api.cinder.volume_snapshot_get(request_, point.id), {'available'})
    assert not points(request_, failing.id, broken.id)

    # A day and an hour later, the run at run_at is due: the next one and its grace
    # are over.  The healthy volume has its point of that run; the broken one none.
    later = run_at + datetime.timedelta(days=1) + overdue.GRACE
    assert overdue.due_run(pattern, later) == run_at
    cells = schedule_cells(horizon_request.fresh(request_), now=later)
    assert keeping.name in cells[healthy.id] and 'Overdue' not in cells[healthy.id], cells
    flagged = html.unescape(cells[broken.id])
    assert failing.name in flagged and 'Overdue' in flagged, flagged
    assert ("No point of this schedule's kind yet; the run at %s should have made one."
            % local_time(run_at)) in flagged, flagged
