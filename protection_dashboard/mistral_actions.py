"""Actions of the workflow service (Mistral) that protection schedules run.

This module runs inside Mistral (its API, engine and executor), never in Horizon:
``pip install --no-deps protection-dashboard`` in Mistral's environment registers
the classes below through the ``mistral.actions`` entry points of ``setup.cfg``
(doc/source/admin/scheduled-protection.md). It imports only what a Mistral with
mistral-extra has, and the dashboard's pure retention module.

* Share snapshots: mistral-extra 17.0.0's own ``manila.*`` actions build their
  Manila client with the Keystone auth plugin where the session belongs, and every
  one fails with ``'Token' object has no attribute 'request'``. These build the
  client with the session, as mistral-extra's other OpenStack actions do, and call
  the same python-manilaclient methods; their inputs are the methods' arguments.
* Retention by day, week and month: periods in the user's timezone (with summer
  time) cannot be computed in YAQL; ``RetentionExpired`` runs the dashboard's own
  ``retention.to_delete``.
"""

from manilaclient import api_versions
from manilaclient import client as manila_client
from mistral_extra.actions.openstack.actions import ManilaAction
from mistral_lib import actions

from protection_dashboard.schedules import retention


class _SessionManilaAction(ManilaAction):
    """mistral-extra's Manila action with its client made on the session."""

    def _create_client(self, context):
        endpoint = self.get_service_endpoint().url
        session = self.get_session_and_auth(context)['session']
        newest = api_versions.APIVersion(api_versions.MAX_VERSION)
        probe = manila_client.Client(newest, service_catalog_url=endpoint, session=session)
        version = api_versions.discover_version(probe, newest)
        return manila_client.Client(version, service_catalog_url=endpoint, session=session)


class ShareSnapshotsCreate(_SessionManilaAction):
    client_method_name = 'share_snapshots.create'

    def __init__(self, share, force=False, name=None, description=None, metadata=None):
        super().__init__(share=share, force=force, name=name, description=description,
                         metadata=metadata)


class ShareSnapshotsList(_SessionManilaAction):
    client_method_name = 'share_snapshots.list'

    def __init__(self, detailed=True, search_opts=None):
        super().__init__(detailed=detailed, search_opts=search_opts)


class ShareSnapshotsDelete(_SessionManilaAction):
    client_method_name = 'share_snapshots.delete'

    def __init__(self, snapshot):
        super().__init__(snapshot=snapshot)


class RetentionExpired(actions.Action):
    """The ids of the listed points a run deletes, oldest first (``retention.to_delete``).

    Reached only after every protect of the run succeeded; ``points`` are the list
    task's records (the schedule's own, as the service filtered them). Mistral
    hands an action to its executor as its attributes in JSON: they stay plain.
    """

    def __init__(self, points, schedule_id, parent_key, success_statuses,
                 deletable_statuses, keep_newest, daily=0, weekly=0, monthly=0,
                 timezone='UTC'):
        super().__init__()
        self.points = points
        self.schedule_id = schedule_id
        self.parent_key = parent_key
        self.success_statuses = success_statuses
        self.deletable_statuses = deletable_statuses
        self.rule = {'keep_newest': keep_newest, 'daily': daily, 'weekly': weekly,
                     'monthly': monthly, 'timezone': timezone}

    def run(self, context):
        listed = [retention.Point.from_record(record, self.parent_key)
                  for record in self.points]
        return retention.to_delete(self.schedule_id, retention.Retention(**self.rule), listed,
                                   protect_succeeded=True,
                                   success_statuses=self.success_statuses,
                                   deletable_statuses=self.deletable_statuses)
