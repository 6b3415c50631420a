"""Restore a server backup: a new server, the volume parts restored and attached.

The request (``start``) restores the volume parts to new volumes (Cinder works
on them for a while), boots the new server from the backup's image (an
image-booted backup) and records what it made in the backup's record
(``RESTORE``).  The backups table's row poll (``advance``) carries on: it boots
a volume-booted backup's server once its root volume is restored, attaches the
other volumes once they are restored and the server is active, and then
clears the record.  A failed step removes the new server and volumes and
leaves the reason on the record (``RESTORE_ERROR``).
"""

from __future__ import annotations

import logging
import types
from typing import Any, NoReturn

from django.utils.translation import gettext as _

from protection_dashboard import api
from protection_dashboard.protection import base
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.protection.steps import (
    Advanced,
    StepFailed,
    delete_if_there,
    fetch,
    step_message,
)

LOG = logging.getLogger(__name__)

#: Volume statuses in which Cinder deletes a volume.
VOLUME_DELETABLE = frozenset({'available', 'error', 'error_restoring'})


def choices(request, record: records.Record) -> dict[str, list[tuple[str, str]]]:
    """The flavors and networks the new server may take; empty keeps the backup's."""
    calls = {'flavors': lambda: api.nova.flavor_list(request)}
    if api.base.is_service_enabled(request, 'neutron'):
        calls['networks'] = lambda: api.neutron.network_list(request)
    found = api.base.run_all(calls)
    flavors = sorted(found['flavors'], key=lambda flavor: (flavor.ram, flavor.name))
    networks = sorted(found.get('networks', []), key=lambda network: network.name or '')
    names = {network.id: network.name or network.id for network in networks}
    recorded = ', '.join(names.get(net, net) for net in record.networks)
    return {
        'flavor': [('', _("The backup's flavor (%s)") % record.flavor)] + [
            (flavor.id, _("%(name)s (%(vcpus)s VCPU, %(ram)s MB RAM, %(disk)s GB disk)") % {
                'name': flavor.name, 'vcpus': flavor.vcpus, 'ram': flavor.ram,
                'disk': flavor.disk}) for flavor in flavors],
        'network': [('', _("The backup's networks (%s)") % recorded if recorded
                     else _("No network, as the backed-up server"))] + [
            (network.id, network.name or network.id) for network in networks],
    }


def flavor_id(request, record: records.Record, chosen: str | None) -> str:
    """The chosen flavor, or the one the backup names (by name, or id before Nova 2.47)."""
    if chosen:
        return chosen
    for flavor in api.nova.flavor_list(request):
        if record.flavor in (flavor.name, flavor.id):
            return flavor.id
    raise StepFailed(_("The backup's flavor %s no longer exists: choose a flavor.")
                     % record.flavor)


def save(request, record: records.Record, state: records.RestoreState) -> None:
    api.glance.image_update(request, record.id, {records.RESTORE: records.dumps(state)},
                            remove=[records.RESTORE_ERROR])


def boot(request, record: records.Record, state: records.RestoreState) -> api.nova.Server:
    """Boot the new server from the backup's image, or from its restored root volume."""
    root = state.root_volume
    if root is not None:
        api.cinder.volume_set_bootable(request, root['id'])
    return api.nova.server_create(
        request, state.name, state.flavor, nics=state.nics,
        image_id=None if root else record.boot_image,
        boot_volume_id=root['id'] if root else None,
        metadata={records.RESTORED_FROM: record.id})


def start(request, backup: records.ServerBackup, options: dict[str, Any]) -> Any:
    """Start the restore; returns the new server (or its name, for a volume-booted one)."""
    record = backup.record
    if backup.status != records.AVAILABLE:
        raise StepFailed(_("Only an available backup can be restored."))
    if record.restore is not None:
        raise StepFailed(_("A restore of this backup is under way."))
    if record.boot == records.BOOT_IMAGE and not record.boot_image:
        raise StepFailed(_("The backup records no image to boot from."))
    network = options.get('network')
    state = records.RestoreState(
        name=options['name'], flavor=flavor_id(request, record, options.get('flavor')),
        nics=([{'net-id': network}] if network else
              [{'net-id': net} for net in record.networks] or 'none'),
        volumes=[])
    parts = [part for part in record.volume_parts
             if part.root or options.get('restore_volumes')]
    server = None
    step = _("Restoring")
    try:
        for part in parts:
            step = _("Restoring %s") % part.label()
            restored = base.get('volume_backup').restore(request, part.id, {
                'name': '%s-%s' % (state.name, (part.device or 'root').rsplit('/', 1)[-1])})
            state.volumes.append({'id': restored.id, 'device': part.device,
                                  'root': part.root})
        if record.boot == records.BOOT_IMAGE:
            step = _("Booting the new server")
            server = boot(request, record, state)
            state.server = server.id
        step = _("Recording the restore")
        save(request, record, state)
    except Exception as exc:
        state.failed = step_message(step, exc)
        fail(request, record, state)
    return server or types.SimpleNamespace(id=record.id, name=state.name)


def fail(request, record: records.Record, state: records.RestoreState) -> NoReturn:
    """Remove what the restore made and record the failure; raise StepFailed.

    The removal does not depend on the record: the step that failed may be
    Glance's (recording the restore).  What cannot be removed yet (a volume
    Cinder is still restoring) is recorded, and the row poll removes it.
    """
    LOG.warning('Restore of server backup %s failed: %s', record.id, state.failed)
    try:
        gone = remove(request, state)
    except Exception as exc:
        LOG.warning('Removing what the restore of %s made failed: %s', record.id, exc)
        gone = False
    try:
        if gone:
            clear(request, record, state)
        else:
            save(request, record, state)
    except Exception as exc:
        LOG.warning('Recording the failed restore of %s failed: %s; left behind: server %s, '
                    'volumes %s', record.id, exc, state.server,
                    ', '.join(volume['id'] for volume in state.volumes) or '-')
    raise StepFailed(state.failed, pending=not gone)


def remove(request, state: records.RestoreState) -> bool:
    """Delete the new server, then its volumes once Cinder lets them go; True when
    all are gone."""
    left = False
    if state.server:
        server = fetch(api.nova.server_get, request, state.server)
        if server is not None:
            left = True
            if server.task_state != 'deleting' and server.status != 'DELETED':
                delete_if_there(api.nova.server_delete, request, server.id)
    for volume in state.volumes:
        found = fetch(api.cinder.volume_get, request, volume['id'])
        if found is None:
            continue
        left = True
        if found.status in VOLUME_DELETABLE:
            delete_if_there(api.cinder.volume_delete, request, found.id)
    return not left


def clear(request, record: records.Record, state: records.RestoreState) -> None:
    """The restore is over, all it made gone: the record keeps only why it failed."""
    api.glance.image_update(request, record.id, {records.RESTORE_ERROR: state.failed},
                            remove=[records.RESTORE])


def undo(request, record: records.Record, state: records.RestoreState) -> bool:
    """Delete what the restore made; clear the record once all of it is gone."""
    gone = remove(request, state)
    if gone:
        clear(request, record, state)
    return gone


def advance(request, record: records.Record) -> Advanced | None:
    """One step of the restore under way, if one is due (None: nothing to do yet)."""
    state = record.restore
    if state.failed:
        undo(request, record, state)
        return Advanced()
    try:
        return carry_on(request, record, state)
    except StepFailed as exc:
        state.failed = str(exc)
        LOG.warning('Restore of server backup %s failed: %s', record.id, state.failed)
        save(request, record, state)
        undo(request, record, state)
        return Advanced(_('Restoring backup "%(backup)s" failed: %(reason)s. The new server '
                          'and volumes are being removed.') % {
            'backup': record.image.name, 'reason': state.failed}, failed=True)


def carry_on(request, record: records.Record,
             state: records.RestoreState) -> Advanced | None:
    volumes = {volume['id']: fetch(api.cinder.volume_get, request, volume['id'])
               for volume in state.volumes}
    for volume in state.volumes:
        found = volumes[volume['id']]
        if found is None or found.status.startswith('error'):
            raise StepFailed(_("Restoring the volume of %(device)s failed (%(status)s)") % {
                'device': volume['device'],
                'status': found.status if found is not None else _("gone")})
    if not state.server:
        return boot_from_volume(request, record, state, volumes[state.root_volume['id']])
    server = fetch(api.nova.server_get, request, state.server)
    if server is None:
        raise StepFailed(_("The new server is gone"))
    if server.status == 'ERROR':
        raise StepFailed(_("The new server failed to boot: %s")
                         % (server.fault_message or server.status))
    if server.status != 'ACTIVE':
        return None
    pending = [volume for volume in state.volumes
               if not volume['root'] and volumes[volume['id']].status != 'in-use']
    ready = [volume for volume in pending if volumes[volume['id']].status == 'available']
    for volume in ready:
        attach(request, server, volume)
    if pending:
        return Advanced() if ready else None
    api.glance.image_update(request, record.id, {},
                            remove=[records.RESTORE, records.RESTORE_ERROR])
    return Advanced(_('Server "%(server)s" restored from backup "%(backup)s".') % {
        'server': state.name, 'backup': record.image.name})


def boot_from_volume(request, record: records.Record, state: records.RestoreState,
                     root) -> Advanced | None:
    """Boot once the root volume is restored; adopt the server another poll booted."""
    if root.status == 'available':
        try:
            server = boot(request, record, state)
        except Exception as exc:
            again = fetch(api.cinder.volume_get, request, root.id)
            if again is None or again.status == 'available':
                raise StepFailed(step_message(_("Booting the new server"), exc)) from exc
            return None
        state.server = server.id
        save(request, record, state)
        return Advanced()
    for attachment in root.attachments or []:
        server = fetch(api.nova.server_get, request, attachment.get('server_id'))
        if server is not None and (server.metadata or {}).get(
                records.RESTORED_FROM) == record.id:
            state.server = server.id
            save(request, record, state)
            return Advanced()
    return None


def attach(request, server: api.nova.Server, volume: dict[str, Any]) -> None:
    """Attach a restored volume; one another poll attached meanwhile is no failure."""
    try:
        api.nova.volume_attach(request, server.id, volume['id'])
    except Exception as exc:
        again = fetch(api.cinder.volume_get, request, volume['id'])
        if again is None or again.status == 'available':
            raise StepFailed(step_message(_("Attaching the volume of %s") % volume['device'],
                                          exc)) from exc
