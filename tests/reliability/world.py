"""Demo's resources for the run: one of every protectable type and one point of every
plugin, all named with script payloads, and ids of each that were deleted again.

The resources are made directly through the APIs; the points through each
plugin's own protect form, as a user makes them.  Only the resource types need
a factory here: a new plugin of an existing type is covered as it registers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent import futures
from typing import Any

from django.urls import reverse

from protection_dashboard.protection import base
from tests.integration import horizon_request
from tests.polling import wait_until
from tests.reliability import catalog, formdata, payloads
from tests.reliability.inventory import is_not_found, status_of

TIMEOUT = 180


@dataclasses.dataclass(frozen=True)
class RootFactory:
    """How to make and read one resource of a type, with demo's clients."""

    create: Callable[[dict, dict, str, str], str]
    get: Callable[[dict, str], Any]
    delete: Callable[[dict, str], None]
    steady: frozenset[str]


def _volume(clients, info, name, description):
    return clients['cinder'].volumes.create(1, name=name, description=description,
                                            volume_type=info['volume_type']).id


def _share(clients, info, name, description):
    return clients['manila'].shares.create('NFS', 1, name=name, description=description,
                                           share_type=info['share_type']).id


def _server(clients, info, name, description):
    seed = info['seed']
    return clients['nova'].servers.create(
        name, seed['image']['id'], seed['flavor']['id'], description=description,
        nics=[{'net-id': seed['network']['id']}]).id


#: The resource types the suite makes (one factory per registered type).
ROOTS = {
    'OS::Cinder::Volume': RootFactory(
        _volume, lambda c, i: c['cinder'].volumes.get(i),
        lambda c, i: c['cinder'].volumes.delete(i), frozenset({'available'})),
    'OS::Manila::Share': RootFactory(
        _share, lambda c, i: c['manila'].shares.get(i),
        lambda c, i: c['manila'].shares.delete(i), frozenset({'available'})),
    'OS::Nova::Server': RootFactory(
        _server, lambda c, i: c['nova'].servers.get(i),
        lambda c, i: c['nova'].servers.delete(i), frozenset({'active'})),
}


@dataclasses.dataclass
class World:
    """Demo's objects by target (catalog.Target), and ids that no longer exist."""

    ids: dict[catalog.Target, str] = dataclasses.field(default_factory=dict)
    deleted: dict[catalog.Target, str] = dataclasses.field(default_factory=dict)
    #: The plugins enabled for demo.
    plugins: list[base.ProtectionPlugin] = dataclasses.field(default_factory=list)


def _gone(get: Callable[[], Any]) -> bool:
    try:
        get()
    except Exception as exc:
        if is_not_found(exc):
            return True
        raise
    return False


def _steady(get: Callable[[], Any], steady: frozenset[str], what: str) -> None:
    def reached():
        status = status_of(get())
        assert not status.startswith('error'), '%s went to %s' % (what, status)
        return status in steady
    wait_until(reached, TIMEOUT, '%s steady' % what)


def _in_parallel(calls: list[Callable[[], Any]]) -> list[Any]:
    with futures.ThreadPoolExecutor(max_workers=max(1, len(calls))) as pool:
        return [job.result() for job in [pool.submit(call) for call in calls]]


def make_root(clients: dict, info: dict, registered: base.ResourceType, copy: int) -> str:
    """One resource of the type, steady; made again once if the service fails it
    (a busy shared cloud sometimes fails a boot)."""
    factory = ROOTS[registered.resource_type]
    label = registered.table_name + ('', '-deleted')[copy]

    def made() -> str:
        resource_id = factory.create(clients, info, payloads.name(label),
                                     payloads.description(label))
        _steady(lambda: factory.get(clients, resource_id), factory.steady, label)
        return resource_id

    try:
        return made()
    except AssertionError:
        return made()  # the failed one is the inventory's to delete


def payload_text(form, kind: str) -> dict[str, str]:
    """Payloads for the form's name and description fields (the others keep theirs)."""
    return {name: payloads.description(kind) if 'description' in name else payloads.name(kind)
            for name in formdata.text_fields(form) if 'name' in name or 'description' in name}


def protect_through_form(client, plugin: base.ProtectionPlugin, resource_id: str,
                         kind: str) -> None:
    """Post the plugin's protect form as a user fills it, payloads in its text fields."""
    url = reverse(plugin.protect_url, args=(resource_id,))
    form = client.get(url).context['form']
    values = formdata.filled(form, payload_text(form, kind))
    response = client.post(url, formdata.post_data(form, values))
    assert response.status_code == 302, (plugin.name, formdata.errors(response))


def build(client, request, clients: dict, info: dict, spy) -> World:
    """Make the world (see the module's docstring); the inventory finds it by prefix.

    Everything is made twice, the second copy on the second resource, side by
    side; then the second copies are deleted (points first) for their ids.
    """
    world = World(plugins=enabled_plugins(request))
    types = [registered for registered in base.enabled_types(request)
             if registered.resource_type in ROOTS]
    made = _in_parallel([lambda t=t, c=c: make_root(clients, info, t, c)
                         for t in types for c in range(2)])
    roots = {t.resource_type: made[2 * index:2 * index + 2] for index, t in enumerate(types)}
    points = {}
    for plugin in world.plugins:
        for copy, resource_id in enumerate(roots[plugin.resource_type]):
            mark = spy.mark()
            protect_through_form(client, plugin, resource_id,
                                 plugin.name + ('', '-deleted')[copy])
            points[plugin, copy] = spy.since(mark)[-1].result_id
    _in_parallel([lambda p=p, i=i: _steady(
        lambda: p.get_point(horizon_request.fresh(request), i), p.success_statuses, p.name)
        for (p, _copy), i in points.items()])

    for type_name, (kept, doomed) in roots.items():
        world.ids[catalog.resource_target(type_name)] = kept
        world.deleted[catalog.resource_target(type_name)] = doomed
    for (plugin, copy), point_id in points.items():
        (world.ids, world.deleted)[copy][catalog.point_target(plugin.name)] = point_id
        if copy:
            plugin.delete(horizon_request.fresh(request), point_id)
    gone = [lambda p=p: _gone(lambda: p.get_point(
        horizon_request.fresh(request), world.deleted[catalog.point_target(p.name)]))
        for p in world.plugins]
    wait_until(lambda: all(_in_parallel(gone)), TIMEOUT, 'the deleted points gone')
    for type_name, (_kept, doomed) in roots.items():
        ROOTS[type_name].delete(clients, doomed)
    gone = [lambda t=t, i=ids[1]: _gone(lambda: ROOTS[t].get(clients, i))
            for t, ids in roots.items()]
    wait_until(lambda: all(_in_parallel(gone)), TIMEOUT, 'the deleted resources gone')
    return world


def enabled_plugins(request) -> list[base.ProtectionPlugin]:
    """The protection plugins enabled for the request's user, whose type the suite makes."""
    return [plugin for registered in base.enabled_types(request)
            if registered.resource_type in ROOTS
            for plugin in base.protection_plugins(registered.resource_type)
            if plugin.is_enabled(request)]


def state(world: World, request, clients: dict) -> dict[catalog.Target, Any]:
    """What demo has of the world now: each object's name, and each resource's newest
    point of each plugin (a new point or a deleted one changes it)."""
    seen: dict[catalog.Target, Any] = {}
    for target, object_id in world.ids.items():
        kind, name = target
        if kind == 'resource':
            seen[target] = (ROOTS[name].get(clients, object_id).name, tuple(
                tuple(point.id for point in plugin.list_points(
                    horizon_request.fresh(request), resource_id=object_id))
                for plugin in world.plugins if plugin.resource_type == name))
        else:
            seen[target] = base.get(name).get_point(horizon_request.fresh(request),
                                                    object_id).name
    return seen
