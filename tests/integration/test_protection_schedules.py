"""Protection schedules on the real workflow service (the local cloud's Mistral).

A schedule is made as the dashboard makes it (the plugin's generated workflow,
``api.mistral.schedule_create``) and its runs make and delete real Cinder
snapshots. Each test deletes what it made, schedules first.
"""

from __future__ import annotations

import datetime
import json
import time
import uuid
from unittest import mock

import pytest
from cinderclient import exceptions as cinder_exc
from manilaclient.common.apiclient import exceptions as manila_exc
from mistralclient.api import base as mistral_base

from protection_dashboard import api
from protection_dashboard.content.protection_schedules import forms as schedule_forms
from protection_dashboard.protection import base as protection_base
from protection_dashboard.schedules import retention, workflow
from tests.integration import horizon_request
from tests.integration.deletion import delete_created
from tests.polling import wait_status, wait_until

pytestmark = pytest.mark.integration
PLUGIN = protection_base.get('volume_snapshot')
BACKUPS = protection_base.get('volume_backup')
#: The backup container a backup schedule is given.
CONTAINER = 'it-schedules'
SHARES = protection_base.get('share_snapshot')
#: A cron run starts in the minute after its trigger is made; under the trust each
#: action signs in again (a run took 12-25 s here, more on a loaded machine).
CRON_WAIT = 240
RUN_WAIT = 120
#: Once a year: the runs of a test with this pattern are started by "run now".
NOT_SOON = '0 0 1 1 *'


@pytest.fixture
def cleanup(demo):
    """Register schedule, volume and share ids; after the test the schedules are deleted
    (first, so that no run makes a point meanwhile), then every snapshot and backup of
    the volumes and shares, then the volumes and shares."""
    created = {'schedules': [], 'snapshots': [], 'backups': [], 'volumes': [], 'shares': []}
    yield created
    request = horizon_request.fresh(demo)
    for schedule_id in created['schedules']:
        try:
            api.mistral.schedule_delete(request, schedule_id)
        except mistral_base.APIException as exc:
            assert exc.error_code == 404, exc
    client = api.cinder.cinderclient(request)
    for volume_id in created['volumes']:
        created['snapshots'] += [s.id for s in client.volume_snapshots.list(
            search_opts={'volume_id': volume_id})]
        created['backups'] += [b.id for b in client.backups.list(
            search_opts={'volume_id': volume_id})]
    manila = api.manila.manilaclient(request)
    share_snapshots = [s.id for share_id in created['shares']
                       for s in manila.share_snapshots.list(search_opts={'share_id': share_id})]
    delete_created((
        (created['snapshots'], client.volume_snapshots, PLUGIN.deletable_statuses,
         cinder_exc.NotFound),
        (created['backups'], client.backups, BACKUPS.deletable_statuses, cinder_exc.NotFound),
        (share_snapshots, manila.share_snapshots, SHARES.deletable_statuses,
         manila_exc.NotFound),
        (created['volumes'], client.volumes, {'available', 'error'}, cinder_exc.NotFound),
        (created['shares'], manila.shares, {'available', 'error'}, manila_exc.NotFound)))


def new_volume(request, cleanup):
    client = api.cinder.cinderclient(request)
    created = client.volumes.create(size=1, name='it-sched-vol-%s' % uuid.uuid4().hex[:8])
    cleanup['volumes'].append(created.id)
    return wait_status(lambda: client.volumes.get(created.id), {'available'})


def schedule_parts(schedule_id, volume_ids, plugin=PLUGIN, keep_newest=1, chosen=None):
    """The definition and trigger input of a schedule, as the schedule form makes them
    (``chosen``: the protection's options set in the form)."""
    rule = retention.Retention(keep_newest=keep_newest)
    name = 'it-schedule-%s' % schedule_id[:8]
    options = schedule_forms.point_options(plugin, name, chosen)
    return (workflow.definition(plugin, schedule_id, rule),
            workflow.workflow_input(plugin, volume_ids, options,
                                    {'name': name, 'resource_type': plugin.resource_type,
                                     'plugin': plugin.name, 'keep_newest': keep_newest}))


def make_schedule(request, volume_ids, pattern, cleanup, plugin=PLUGIN, keep_newest=1,
                  rule=None, chosen=None):
    schedule_id = api.mistral.new_schedule_id()
    cleanup['schedules'].append(schedule_id)
    definition, workflow_input = schedule_parts(schedule_id, volume_ids, plugin, keep_newest,
                                                chosen)
    if rule is not None:
        definition = workflow.definition(plugin, schedule_id, rule)
    return api.mistral.schedule_create(request, schedule_id, definition, pattern,
                                       workflow_input)


def points(request, schedule_id, resource_id, plugin=PLUGIN):
    """The schedule's snapshots (or backups) of the volume (or share), oldest first."""
    if plugin is SHARES:
        listed = api.manila.manilaclient(request).share_snapshots.list(
            search_opts={'share_id': resource_id})
    else:
        client = api.cinder.cinderclient(request)
        manager = client.backups if plugin is BACKUPS else client.volume_snapshots
        listed = manager.list(search_opts={'volume_id': resource_id})
    own = [p for p in listed if (p.metadata or {}).get(retention.SCHEDULE_TAG) == schedule_id]
    return sorted(own, key=lambda p: (p.created_at, p.id))


def finished_run(request, schedule_id, run_id):
    def done():
        runs = {run.id: run for run in api.mistral.schedule_runs(request, schedule_id)}
        run = runs.get(run_id)
        return run if run is not None and run.state in ('SUCCESS', 'ERROR') else None

    return wait_until(done, RUN_WAIT, 'run %s finished' % run_id)


def run_now(request, schedule_id):
    return finished_run(request, schedule_id, api.mistral.schedule_run_now(request,
                                                                           schedule_id).id)


def demo_trusts(demo_session):
    response = demo_session.get('/OS-TRUST/trusts', params={
        'trustor_user_id': demo_session.get_user_id()},
        endpoint_filter={'service_type': 'identity', 'interface': 'public'})
    return {trust['id'] for trust in response.json()['trusts']}


def test_the_schedules_are_paged_newest_first_by_the_service(request_, cleanup):
    """Pages of two: each schedule on one page only, the newest first, and the page
    before the second is the first (other tests' schedules may lie between ours)."""
    made = []
    for _ in range(3):
        made.append(make_schedule(request_, [str(uuid.uuid4())], NOT_SOON, cleanup).id)
        time.sleep(1.1)  # Mistral keeps whole seconds; the same second orders by id
    pages, marker = [], None
    while True:
        page = api.mistral.schedule_page(request_, marker, None, 2)
        assert len(page.items) <= 2
        pages.append(page)
        if page.next_marker is None:
            break
        marker = page.next_marker
    seen = [s.id for page in pages for s in page.items]
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i in made] == made[::-1]
    assert len(pages) >= 2 and pages[0].prev_marker is None
    before = api.mistral.schedule_page(request_, None, pages[1].prev_marker, 2)
    assert [s.id for s in before.items] == [s.id for s in pages[0].items]
    # Protectables' listing of every schedule reads page after page past Mistral's limit.
    with mock.patch.object(api.mistral, 'LIST_PAGE', 2):
        every = [s.id for s in api.mistral.schedule_list(request_, with_runs=False)]
    assert len(every) == len(set(every)) and set(made) <= set(every)


def test_a_cron_schedule_runs_under_a_trust_and_delete_removes_it(request_, cleanup,
                                                                  demo_session):
    volume = new_volume(request_, cleanup)
    trusts_before = demo_trusts(demo_session)
    schedule = make_schedule(request_, [volume.id], '*/1 * * * *', cleanup)
    assert len(demo_trusts(demo_session) - trusts_before) == 1
    listed = {s.id: s for s in api.mistral.schedule_page(request_, None, None, 20).items}[
        schedule.id]
    assert (listed.name, listed.resources, listed.pattern) == (
        schedule.name, [volume.id], '*/1 * * * *')
    assert listed.next_execution_time

    made = wait_until(lambda: [p for p in points(request_, schedule.id, volume.id)
                               if p.status == 'available'], CRON_WAIT, 'a scheduled snapshot')
    assert made[0].name == schedule.name
    run = wait_until(lambda: [r for r in api.mistral.schedule_runs(request_, schedule.id)
                              if r.state == 'SUCCESS'], RUN_WAIT, 'a successful cron run')
    assert run[0].error is None

    api.mistral.schedule_delete(request_, schedule.id)
    with pytest.raises(mistral_base.APIException) as gone:
        api.mistral.schedule_get(request_, schedule.id)
    assert gone.value.error_code == 404
    client = api.mistral.mistralclient(request_)
    assert workflow.workflow_name(schedule.id) not in {w.name for w in client.workflows.list()}
    assert demo_trusts(demo_session) == trusts_before
    # its points stay: deleting a schedule deletes no data
    assert [p.id for p in points(request_, schedule.id, volume.id)] == [made[0].id]


def test_edit_makes_the_trigger_again_and_a_refused_edit_keeps_the_old(request_, cleanup,
                                                                      demo_session):
    """One live trigger of the same name after an edit, its trust the new one; the
    edited workflow runs; a trigger the service refuses brings the old schedule back."""
    first, second = new_volume(request_, cleanup), new_volume(request_, cleanup)
    trusts_before = demo_trusts(demo_session)
    schedule = make_schedule(request_, [first.id], NOT_SOON, cleanup, keep_newest=2)
    name = workflow.workflow_name(schedule.id)
    client = api.mistral.mistralclient(request_)

    def triggers():
        return [t for t in client.cron_triggers.list() if t.name == name]

    def keep_rule():
        return client.workflows.get(schedule.workflow_id).definition.count('.len() < 1)')

    definition, edited_input = schedule_parts(schedule.id, [first.id, second.id], keep_newest=1)
    api.mistral.schedule_update(request_, schedule.id, definition, '15 3 * * *', edited_input)
    (edited,) = triggers()
    assert edited.id != schedule.trigger_id and edited.pattern == '15 3 * * *'
    listed = api.mistral.schedule_get(request_, schedule.id)
    assert (listed.resources, listed.keep_newest) == ([first.id, second.id], 1)
    assert keep_rule() == 1
    assert len(demo_trusts(demo_session) - trusts_before) == 1

    # Mistral refuses a trigger input its workflow does not take: the old trigger is back.
    definition, _input = schedule_parts(schedule.id, [first.id], keep_newest=5)
    with pytest.raises(mistral_base.APIException):
        api.mistral.schedule_update(request_, schedule.id, definition, '0 4 * * *',
                                    dict(edited_input, unexpected='refused'))
    (kept,) = triggers()
    assert (kept.pattern, json.loads(kept.workflow_input)) == ('15 3 * * *', edited_input)
    assert keep_rule() == 1

    made = run_and_settle(request_, schedule.id, [first.id, second.id])
    assert [len(made[first.id]), len(made[second.id])] == [1, 1], made
    api.mistral.schedule_delete(request_, schedule.id)
    assert demo_trusts(demo_session) == trusts_before


def run_and_settle(request, schedule_id, volume_ids, plugin=PLUGIN):
    """Run the schedule now; once its points are done, each volume's point ids, oldest
    first.  Retention counts only available points: a point still being made when the
    run listed them does not push an older one out (it goes at the next run)."""
    # Cinder keeps whole seconds, and retention orders the points of one second by id:
    # a run must start in a later second than the last one's points (CI ran two runs
    # 0.7 s apart, and the second kept the older point of a volume).
    time.sleep(1.1)
    run = run_now(request, schedule_id)
    assert run.state == 'SUCCESS', run.error
    made = {volume_id: points(request, schedule_id, volume_id, plugin) for volume_id in volume_ids}
    get = {BACKUPS: api.cinder.volume_backup_get, SHARES: api.manila.share_snapshot_get}.get(
        plugin, api.cinder.volume_snapshot_get)
    for point in (p for listed in made.values() for p in listed):
        wait_status(lambda p=point: get(request, p.id), {'available'}, timeout=RUN_WAIT)
    return {volume_id: [p.id for p in listed] for volume_id, listed in made.items()}


def test_run_now_refuses_a_second_run_while_one_is_under_way(request_, cleanup):
    """Two runs at once would race each other's retention: run now refuses the second
    while the first is under way, and starts one once it has ended."""
    schedule = make_schedule(request_, [new_volume(request_, cleanup).id], NOT_SOON, cleanup)
    started = api.mistral.schedule_run_now(request_, schedule.id)
    with pytest.raises(api.mistral.RunUnderWay):
        api.mistral.schedule_run_now(request_, schedule.id)
    assert finished_run(request_, schedule.id, started.id).state == 'SUCCESS'
    assert run_now(request_, schedule.id).state == 'SUCCESS'
    assert len(api.mistral.schedule_runs(request_, schedule.id)) == 2


def test_runs_keep_the_newest_of_each_volume_and_never_a_hand_made_point(request_, cleanup):
    first, second = new_volume(request_, cleanup), new_volume(request_, cleanup)
    hand_made = PLUGIN.protect(request_, first.id, {
        'snapshot_name': 'it-hand-made', 'description': 'by hand', 'force': False})
    wait_status(lambda: api.cinder.volume_snapshot_get(request_, hand_made.id), {'available'})
    schedule = make_schedule(request_, [first.id, second.id], NOT_SOON, cleanup)
    volumes = [first.id, second.id]

    one = run_and_settle(request_, schedule.id, volumes)
    assert all(len(ids) == 1 for ids in one.values()), one
    two = run_and_settle(request_, schedule.id, volumes)
    # each volume has a new point; its older one is gone, or kept while the new one
    # was still being made
    assert all(set(two[v]) - set(one[v]) and set(two[v]) <= set(one[v]) | set(two[v][-1:])
               for v in volumes), (one, two)
    three = run_and_settle(request_, schedule.id, volumes)
    assert all(one[v][0] not in three[v] and 1 <= len(three[v]) <= 2 for v in volumes), (
        one, two, three)
    assert api.cinder.volume_snapshot_get(request_, hand_made.id).status == 'available'
    listed = {s.id: s for s in api.mistral.schedule_list(request_)}[schedule.id]
    assert listed.last_run.state == 'SUCCESS'

    # A run that fails for one volume (deleted meanwhile) deletes nothing.
    client = api.cinder.cinderclient(request_)
    for point_id in three[second.id]:
        client.volume_snapshots.delete(point_id)
    wait_until(lambda: not points(request_, schedule.id, second.id), RUN_WAIT, 'snapshots gone')
    client.volumes.delete(second.id)
    wait_until(lambda: second.id not in {v.id for v in client.volumes.list()}, RUN_WAIT,
               'volume gone')
    failed = run_now(request_, schedule.id)
    assert failed.state == 'ERROR'
    assert second.id in failed.error, failed.error
    kept = [p.id for p in points(request_, schedule.id, first.id)]
    assert set(three[first.id]) <= set(kept), (three, kept)
    assert api.cinder.volume_snapshot_get(request_, hand_made.id).status == 'available'


def test_a_share_schedule_runs_the_installed_actions_and_keeps_the_newest(request_, cleanup):
    """Share snapshots through the dashboard's actions installed into Mistral
    (mistral-extra's own Manila actions fail); a hand-made snapshot untouched."""
    assert api.mistral.actions_installed(request_, SHARES.schedule_action.installed_actions)
    manila = api.manila.manilaclient(request_)
    share = manila.shares.create('NFS', 1, name='it-sched-share-%s' % uuid.uuid4().hex[:8])
    cleanup['shares'].append(share.id)
    wait_status(lambda: api.manila.share_get(request_, share.id), {'available'})
    hand_made = SHARES.protect(request_, share.id, {
        'snapshot_name': 'it-hand-made', 'description': 'by hand', 'force': False})
    wait_status(lambda: api.manila.share_snapshot_get(request_, hand_made.id), {'available'})
    schedule = make_schedule(request_, [share.id], NOT_SOON, cleanup, SHARES)

    one = run_and_settle(request_, schedule.id, [share.id], SHARES)[share.id]
    assert len(one) == 1
    made = api.manila.share_snapshot_get(request_, one[0])
    assert (made.name, made.metadata[retention.SCHEDULE_TAG]) == (schedule.name, schedule.id)
    run_and_settle(request_, schedule.id, [share.id], SHARES)
    three = run_and_settle(request_, schedule.id, [share.id], SHARES)[share.id]
    assert one[0] not in three and 1 <= len(three) <= 2, (one, three)
    assert api.manila.share_snapshot_get(request_, hand_made.id).status == 'available'


def midday_zone() -> str:
    """A fixed-offset zone where it is now about noon: a test's runs stay in one day."""
    offset = 12 - datetime.datetime.now(datetime.UTC).hour  # -11 .. 12
    return 'Etc/GMT%+d' % -offset  # the Etc zones' sign is inverted: Etc/GMT-3 is UTC+3


def test_a_daily_rule_keeps_the_first_point_of_the_day_through_the_installed_action(
        request_, cleanup):
    """Keep the newest 1 and the first of each of the last 1 days: the day's first
    point outlives the runs after it, which a newest-only rule would delete."""
    assert api.mistral.actions_installed(request_, [workflow.RETENTION_ACTION])
    volume = new_volume(request_, cleanup)
    rule = retention.Retention(keep_newest=1, daily=1, timezone=midday_zone())
    schedule = make_schedule(request_, [volume.id], NOT_SOON, cleanup, rule=rule)
    (first,) = run_and_settle(request_, schedule.id, [volume.id])[volume.id]
    second = run_and_settle(request_, schedule.id, [volume.id])[volume.id][-1]
    run_and_settle(request_, schedule.id, [volume.id])
    fourth = run_and_settle(request_, schedule.id, [volume.id])[volume.id]
    assert first in fourth and second not in fourth, (first, second, fourth)
    (run, *_) = api.mistral.schedule_runs(request_, schedule.id)
    assert run.state == 'SUCCESS'


def temporary_volumes(request, volume_id):
    """Cinder's temporary volume of a non-disruptive backup of ``volume_id``."""
    return [v for v in api.cinder.cinderclient(request).volumes.list()
            if v.name == 'backup-vol-%s' % volume_id]


def test_a_backup_schedule_forces_the_backup_of_an_attached_volume(request_, cleanup,
                                                                   attached_volume):
    """Backups of the seeded attached volume, forced (no disruption), tagged and in the
    container chosen in the form; an older backup is deleted only once a newer one is
    available (a backup takes 10-35 s)."""
    schedule = make_schedule(request_, [attached_volume.id], NOT_SOON, cleanup, BACKUPS,
                             chosen={'container': CONTAINER})

    def backed_up():
        made = run_and_settle(request_, schedule.id, [attached_volume.id], BACKUPS)
        cleanup['backups'] += made[attached_volume.id]  # the seeded volume itself stays
        return made[attached_volume.id]

    try:
        first = backed_up()
        assert len(first) == 1
        backed_up()
        third = backed_up()
        assert first[0] not in third and 1 <= len(third) <= 2, (first, third)
        assert api.cinder.volume_get(request_, attached_volume.id).status == 'in-use'
        assert {api.cinder.volume_backup_get(request_, backup).container
                for backup in third} == {CONTAINER}
    finally:
        # the next test of the attached volume expects no temporary volume of its backups
        wait_until(lambda: not temporary_volumes(request_, attached_volume.id), RUN_WAIT,
                   'temporary backup volume gone')


def test_protectables_names_the_schedule_covering_a_volume(request_, cleanup):
    """The page's join: one schedule list, and the volume's row names the schedule,
    links it and shows its next run; a schedule made after its last due run is not
    overdue."""
    from protection_dashboard.content.protectables import schedules as covers
    from protection_dashboard.content.protectables import tables as protectable_tables
    from protection_dashboard.protection import protectables

    volume = new_volume(request_, cleanup)
    other = new_volume(request_, cleanup)
    schedule = make_schedule(request_, [volume.id], NOT_SOON, cleanup)
    request = horizon_request.fresh(request_)
    volumes = protection_base.resource_type('OS::Cinder::Volume')
    (page,) = protectables.load(request, [volumes], all_projects=False, markers={},
                                limit=1000)
    assert covers.available(request, all_projects=False)
    rows = {resource.id: resource for resource in page.page.items}
    covers.join(list(rows.values()), volumes.resource_type,
                api.mistral.schedule_list(request, with_runs=False), linked=True)
    (cover,) = rows[volume.id].schedule_covers
    assert (cover.schedule_id, cover.name, cover.missed) == (schedule.id, schedule.name, None)
    assert cover.next_run == schedule.next_execution_time
    assert rows[other.id].schedule_covers == []
    cell = str(protectable_tables.schedule_covers(rows[volume.id]))
    assert '/project/protection_schedules/%s/' % schedule.id in cell
    assert schedule.name in cell and 'next run' in cell
