"""Share snapshot protection against the real Manila of the local cloud.

Each test works on a share it creates and deletes what it created: shares
restored from snapshots, then snapshots, then the source share (Manila
refuses to delete a share that still has snapshots).
"""

from __future__ import annotations

import time
import uuid

import pytest
from django.test import override_settings
from manilaclient.common.apiclient import exceptions as manila_exc

from protection_dashboard import api
from protection_dashboard.protection import base as protection_base
from protection_dashboard.protection import share_snapshot
from tests.integration import horizon_request
from tests.integration.deletion import delete_created
from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.integration
PLUGIN = protection_base.get('share_snapshot')
#: The share type extra spec Manila's revert-to-snapshot needs.
REVERT_SPEC = 'revert_to_snapshot_support'


@pytest.fixture
def cleanup(demo):
    """Register share/snapshot ids; deleted (restored shares, snapshots, sources) after."""
    created = {'restored': [], 'snapshots': [], 'shares': []}
    yield created
    client = api.manila.manilaclient(horizon_request.fresh(demo))
    delete_created((
        (created['restored'], client.shares, {'available', 'error'}, manila_exc.NotFound),
        (created['snapshots'], client.share_snapshots, PLUGIN.deletable_statuses,
         manila_exc.NotFound),
        (created['shares'], client.shares, {'available', 'error'}, manila_exc.NotFound)))


def unique(prefix):
    return 'it-%s-%s' % (prefix, uuid.uuid4().hex[:8])


@pytest.fixture
def share(request_, cleanup):
    client = api.manila.manilaclient(request_)
    created = client.shares.create('NFS', 1, name=unique('share'))
    cleanup['shares'].append(created.id)
    return wait_status(lambda: api.manila.share_get(request_, created.id), 'available',
                       'share')


def protect(request, share_id, cleanup):
    snapshot = PLUGIN.protect(request, share_id, {
        'snapshot_name': unique('snap'), 'description': 'integration', 'force': False})
    cleanup['snapshots'].append(snapshot.id)
    return wait_status(lambda: api.manila.share_snapshot_get(request, snapshot.id),
                       PLUGIN.success_statuses, 'share snapshot')


def revert_support(request, share) -> str | None:
    """The share type's revert extra spec, as the cloud reports it."""
    share_type = api.manila.manilaclient(request).share_types.get(share.share_type)
    return share_type.get_keys().get(REVERT_SPEC)


def test_newest_microversion_is_negotiated(request_):
    assert api.manila.supports(request_, 'revert_to_snapshot'), api.manila.api_version(request_)


def test_protect_restore_to_new_share_and_delete(request_, share, cleanup):
    snapshot = protect(request_, share.id, cleanup)
    assert snapshot.share_id == share.id
    assert PLUGIN.status_state(snapshot.status) is True
    newest = PLUGIN.list_points(request_, resource_id=share.id)
    assert [point.id for point in newest] == [snapshot.id]

    restored = PLUGIN.restore(request_, snapshot.id, {'restore_name': 'it-restored',
                                                      'restore_description': 'again'})
    cleanup['restored'].append(restored.id)
    restored = wait_status(lambda: api.manila.share_get(request_, restored.id), 'available',
                           'restored share')
    assert (restored.name, restored.description) == ('it-restored', 'again')
    assert restored.snapshot_id == snapshot.id
    assert restored.size == snapshot.size
    for inherited in ('share_proto', 'share_type', 'share_network_id', 'availability_zone'):
        assert getattr(restored, inherited) == getattr(share, inherited), inherited

    PLUGIN.delete(request_, snapshot.id)
    wait_gone(lambda: api.manila.share_snapshot_get(request_, snapshot.id), manila_exc.NotFound)


def test_revert_into_the_source_share_only_from_its_latest_snapshot(request_, demo, share,
                                                                   cleanup):
    if str(revert_support(request_, share)).lower() != 'true':
        pytest.skip('the share type lacks the extra spec %s=True' % REVERT_SPEC)
    older = protect(request_, share.id, cleanup)
    time.sleep(1.1)  # Manila orders snapshots by created_at, kept to the second
    latest = protect(request_, share.id, cleanup)

    plan = share_snapshot.restore_plan(horizon_request.fresh(demo), older.id)
    assert latest.name in str(plan.revert_refusal)
    with pytest.raises(manila_exc.Conflict) as refused:
        PLUGIN.restore(horizon_request.fresh(demo), older.id, {'share_id': share.id})
    assert 'not the most recent snapshot' in refused.value.message

    request = horizon_request.fresh(demo)
    assert share_snapshot.restore_plan(request, latest.id).revert_refusal is None
    choices = PLUGIN.restore_choices(request, latest.id)['share_id']
    assert share.id in [value for value, _label in choices]
    reverted = PLUGIN.restore(request, latest.id, {'share_id': share.id})
    assert reverted.id == share.id
    reverted = wait_status(lambda: api.manila.share_get(request, share.id), 'available',
                           'reverted share')
    assert reverted.size == latest.size


@override_settings(PROTECTION_DASHBOARD={'max_microversions': {'manila': '2.26'}})
def test_revert_is_not_offered_below_2_27(demo, share, cleanup):
    snapshot = protect(horizon_request.fresh(demo), share.id, cleanup)
    request = horizon_request.fresh(demo)
    assert api.manila.api_version(request) == '2.26'
    plan = share_snapshot.restore_plan(request, snapshot.id)
    assert '2.27' in str(plan.revert_refusal)
    assert [value for value, _label in PLUGIN.restore_choices(request, snapshot.id)['share_id']
            ] == ['']


def test_quota_is_read_from_manila(request_):
    limits = api.manila.share_limits(request_)
    assert {'maxTotalShareSnapshots', 'totalShareSnapshotsUsed', 'maxTotalSnapshotGigabytes',
            'totalSnapshotGigabytesUsed'} <= set(limits)
    assert PLUGIN.quota_exceeded(request_) is False


def test_a_paged_list_is_joined_with_share_names(request_, share, cleanup):
    snapshots = [protect(request_, share.id, cleanup) for _ in range(3)]
    first = api.manila.share_snapshot_list_paged(request_, search_opts={'share_id': share.id},
                                                 limit=2)
    assert len(first.items) == 2 and first.next_marker == '2' and first.prev_marker is None
    second = api.manila.share_snapshot_list_paged(
        request_, search_opts={'share_id': share.id}, marker=first.next_marker, limit=2)
    assert second.next_marker is None and second.prev_marker == '0'
    listed = {point.id for point in first.items + second.items}
    assert listed == {snapshot.id for snapshot in snapshots}
    assert api.manila.share_names(request_, [share.id])[share.id] == share.name


def test_admin_lists_every_project(cloud_info):
    """The admin page's two calls: every project's snapshots, and their shares' names."""
    admin = horizon_request.login(cloud_info, 'admin')
    seeded = cloud_info['seed']['share_snapshot']['id']
    opts = protection_base.all_projects_opts(True)
    page = api.manila.share_snapshot_list_paged(admin, search_opts=opts, limit=1000)
    snapshot = next(point for point in page.items if point.id == seeded)
    assert snapshot.project_id != admin.user.project_id
    assert (api.manila.share_names(admin, [snapshot.share_id], all_projects=True)[
        snapshot.share_id]
            == cloud_info['seed']['share_1']['name'])
