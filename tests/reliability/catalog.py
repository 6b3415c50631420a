"""Every page of ours, read from Horizon's registered panels and the plugin registry.

A route is one URL pattern of one of our panels, with the view behind it.  What
the id in its URL names follows from the view (a protect form takes a resource of
its plugin's type, a restore form and a detail page a point of their plugin), so
a new panel built on ``content/views.py`` is covered without a change here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import horizon
from django.urls import get_resolver, reverse
from django.views.generic.base import TemplateResponseMixin
from horizon import forms as horizon_forms
from horizon import tables as horizon_tables

from protection_dashboard.content import views as content_views
from protection_dashboard.content.protectables import tables as protectables_tables
from protection_dashboard.content.protectables import views as protectables_views
from protection_dashboard.protection import base

#: What an id names: ('resource', resource type) or ('point', plugin name).
Target = tuple[str, str]


def resource_target(type_name: str) -> Target:
    return ('resource', type_name)


def point_target(plugin_name: str) -> Target:
    return ('point', plugin_name)


@dataclasses.dataclass(frozen=True)
class Route:
    """One URL pattern of one of our panels."""

    name: str
    dashboard: str
    panel: Any
    view: type
    #: The URL's id argument, if any, and what it names (None: unknown).
    kwarg: str | None
    target: Target | None
    plugin: base.ProtectionPlugin | None

    def url(self, target_id: str | None = None) -> str:
        return reverse(self.name, args=(target_id,) if self.kwarg else ())

    @property
    def admin(self) -> bool:
        return self.dashboard == 'admin'

    @property
    def is_form(self) -> bool:
        return issubclass(self.view, horizon_forms.ModalFormView)

    def __str__(self) -> str:
        return self.name


@dataclasses.dataclass(frozen=True)
class Table:
    """A table of an index page: its rows and the actions a row POSTs."""

    route: Route
    name: str
    rows: Target | None
    batch_actions: tuple[str, ...]

    def row_update(self, row_id: str) -> dict[str, str]:
        return {'action': 'row_update', 'table': self.name, 'obj_id': row_id}

    def __str__(self) -> str:
        return '%s#%s' % (self.route.name, self.name)


def our_panels() -> list[tuple[str, Any]]:
    """(dashboard slug, panel) of every panel this plugin registers."""
    get_resolver().url_patterns  # noqa: B018 (Horizon registers its panels as URLs load)
    found = []
    for dashboard in horizon.get_dashboards():
        for panel in dashboard.get_panels():
            if type(panel).__module__.startswith('protection_dashboard.'):
                found.append((dashboard.slug, panel))
    return found


def panel_plugin(panel) -> base.ProtectionPlugin | None:
    name = getattr(panel, 'plugin_name', '')
    return base.get(name) if name else None


def _target(view: type, plugin: base.ProtectionPlugin | None) -> Target | None:
    if plugin is None:
        return None
    if issubclass(view, content_views.ProtectView):
        return resource_target(plugin.resource_type)
    if issubclass(view, (content_views.RestoreView, content_views.PointDetailView)):
        return point_target(plugin.name)
    return None


def routes() -> list[Route]:
    """Every URL pattern of every panel of ours that is a page (not the JSON a page's
    script asks, such as the schedule form's pattern preview)."""
    found = []
    for dashboard, panel in our_panels():
        for pattern in panel._get_default_urlpatterns():
            view = pattern.callback.view_class
            if not issubclass(view, TemplateResponseMixin):
                continue
            kwargs = list(pattern.pattern.regex.groupindex)
            plugin = getattr(view, 'plugin', None) or panel_plugin(panel)
            found.append(Route(
                name='horizon:%s:%s:%s' % (dashboard, panel.slug, pattern.name),
                dashboard=dashboard, panel=panel, view=view,
                kwarg=kwargs[0] if kwargs else None,
                target=_target(view, plugin) if kwargs else None, plugin=plugin))
    return found


def pages(ids: dict) -> list[tuple[Route, str, str]]:
    """(route, user, url) of every page of ours, with the ids (a world's) where it takes
    one: admin's pages as admin, the others as demo."""
    return [(route, 'admin' if route.admin else 'demo',
             route.url(ids[route.target]) if route.kwarg else route.url())
            for route in routes() if not route.kwarg or route.target in ids]


def _batch_actions(table_class) -> tuple[str, ...]:
    return tuple(action.name for action in table_class._meta.row_actions
                 if issubclass(action, horizon_tables.BatchAction))


def tables(route: Route) -> list[Table]:
    """The tables an index page shows (Protectables: one per registered type)."""
    if route.kwarg:
        return []
    if issubclass(route.view, protectables_views.IndexView):
        return [Table(route, registered.table_name, resource_target(registered.resource_type),
                      _batch_actions(protectables_tables.table_class(registered)))
                for registered in base.resource_types()]
    table_class = getattr(route.view, 'table_class', None)
    if table_class is None:
        return []
    return [Table(route, table_class._meta.name,
                  point_target(route.plugin.name) if route.plugin else None,
                  _batch_actions(table_class))]
