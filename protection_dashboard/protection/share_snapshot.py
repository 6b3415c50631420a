"""Manila share snapshot protection (spec: karbor-manila-share-protection-plugins).

protect = a Manila snapshot of the share; restore = a new share from the
snapshot, or the share itself reverted to the snapshot (Manila's
revert-to-snapshot, only where Manila allows it); delete = delete the snapshot.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext_lazy as _
from horizon.utils.memoized import memoized
from openstack_dashboard import policy

from protection_dashboard import api
from protection_dashboard.protection import base
from protection_dashboard.protection.manila_share import ShareType

#: Manila's rule of reverting a share in place.
REVERT_POLICY: base.PolicyRules = (('share', 'share:revert_to_snapshot'),)


@dataclasses.dataclass
class RestorePlan:
    """What restoring a snapshot can do: always a new share; a revert unless refused."""

    snapshot: api.manila.ShareSnapshot
    share: api.manila.Share
    #: Why the snapshot cannot be restored into its share (None: it can).
    revert_refusal: str | None


def revert_refusal(request, snapshot: api.manila.ShareSnapshot,
                   share: api.manila.Share) -> str | None:
    """Why Manila would refuse to revert ``share`` to ``snapshot``, or None."""
    if not api.manila.supports(request, 'revert_to_snapshot'):
        return _("This cloud's Shared File Systems API cannot revert a share to a "
                 "snapshot (it needs API microversion 2.27 or later).")
    if not policy.check(REVERT_POLICY, request):
        return _("You are not allowed to revert shares to snapshots.")
    if not share.revert_to_snapshot_support:
        return _('The share type "%s" does not support reverting to a snapshot.') % (
            share.share_type_name or share.share_type)
    latest = api.manila.share_snapshot_list(request, {'share_id': share.id}, limit=1)
    if latest and latest[0].id != snapshot.id:
        return _('Only the latest snapshot of a share can be restored into it; the '
                 'latest snapshot of this share is "%s".') % (latest[0].name or latest[0].id)
    for label, status in ((_("share"), share.status), (_("snapshot"), snapshot.status)):
        if status != 'available':
            return _("The %(what)s is %(status)s; it must be available to revert.") % {
                'what': label, 'status': status}
    return None


@memoized
def restore_plan(request, snapshot_id: str) -> RestorePlan:
    """The restore plan of a snapshot (once per request: the form and page share it)."""
    snapshot = api.manila.share_snapshot_get(request, snapshot_id)
    share = api.manila.share_get(request, snapshot.share_id)
    return RestorePlan(snapshot, share, revert_refusal(request, snapshot, share))


@base.register
class ShareSnapshotPlugin(base.ProtectionPlugin):
    resource_type = ShareType.resource_type
    name = 'share_snapshot'
    service = 'manila'
    feature = 'enable_share_protection'
    parent_key = 'share_id'
    options_schema = 'share_snapshot_options'
    restore_schema = 'share_snapshot_restore'
    protect_label = _("Create Share Snapshot")
    protect_url = 'horizon:project:share_snapshots:create'
    protectable_statuses = frozenset({'available'})
    protect_policy = (('share', 'share:create_snapshot'),)
    #: Restoring to a new share; restoring into the share also needs ``REVERT_POLICY``.
    restore_policy = (('share', 'share:create'),)
    delete_policy = (('share', 'share:delete_snapshot'),)
    failure_statuses = frozenset({'error', 'error_deleting', 'manage_error',
                                  'unmanage_error'})
    # mistral-extra's own Manila actions fail (their client has no session): a share
    # schedule runs the dashboard's actions, which the deployer installs into Mistral.
    schedule_action = base.ScheduleAction(
        create='protection_dashboard.share_snapshots_create', resource_input='share',
        options={'name': 'snapshot_name', 'description': 'description'},
        metadata_input='metadata', list='protection_dashboard.share_snapshots_list',
        delete='protection_dashboard.share_snapshots_delete', delete_input='snapshot',
        list_tag_filter='metadata')

    def list_points(self, request, *, all_projects=False, resource_id=None):
        return api.manila.share_snapshot_list(
            request, search_opts=self.search_opts(all_projects, resource_id),
            limit=1 if resource_id else None)

    quota_title = _("Share Snapshot Limits")
    quotas = (base.Quota(_("Number of Share Snapshots"), 'totalShareSnapshotsUsed',
                         'maxTotalShareSnapshots'),
              base.Quota(_("Snapshot Gibibytes"), 'totalSnapshotGigabytesUsed',
                         'maxTotalSnapshotGigabytes', gibibytes=True))

    def limits(self, request):
        return api.manila.share_limits(request)

    def get_point(self, request, point_id):
        return api.manila.share_snapshot_get(request, point_id)

    def protect(self, request, resource_id: str,
                options: dict[str, Any]) -> api.manila.ShareSnapshot:
        return api.manila.share_snapshot_create(
            request, resource_id, name=options['snapshot_name'],
            description=options.get('description'), force=bool(options.get('force')))

    def restore_choices(self, request, point_id):
        plan = restore_plan(request, point_id)
        choices = [('', _("A new share from this snapshot"))]
        if plan.revert_refusal is None:
            choices.append((plan.share.id, _('Revert share "%s" to this snapshot')
                            % (plan.share.name or plan.share.id)))
        return {'share_id': choices}

    def restore(self, request, point_id: str, options: dict[str, Any]) -> api.manila.Share:
        """A new share from the snapshot, or (``share_id``) that share reverted to it."""
        target = options.get('share_id')
        if target:
            api.manila.share_revert_to_snapshot(request, target, point_id)
            return api.manila.share_get(request, target)
        snapshot = api.manila.share_snapshot_get(request, point_id)
        source = api.manila.share_get(request, snapshot.share_id)
        return api.manila.share_create_from_snapshot(
            request, snapshot, source, name=options.get('restore_name'),
            description=options.get('restore_description'))

    def delete(self, request, point_id: str) -> None:
        api.manila.share_snapshot_delete(request, point_id)
