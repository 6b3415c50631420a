"""Protect and restore views, generic over the protection plugins.

The view that acts checks what the button checks: the plugin is enabled,
the user's policy allows the operation, and a protected resource belongs to
the user's current project.  A failed check is Horizon's not-authorized
page (403), never a form.
"""

from __future__ import annotations

from django import http
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from horizon import exceptions, tabs
from horizon import forms as horizon_forms
from horizon import tables as horizon_tables
from horizon.utils import functions as horizon_utils
from openstack_dashboard import policy

from protection_dashboard import api
from protection_dashboard.content import forms, utils
from protection_dashboard.content import tabs as point_tabs
from protection_dashboard.content.datatable import PagedTablesMixin
from protection_dashboard.content.page_frame import SessionProjectsMixin
from protection_dashboard.protection import base

PROTECTABLES_URL = reverse_lazy('horizon:project:protectables:index')


class PointsIndexView(PagedTablesMixin, SessionProjectsMixin, horizon_tables.DataTableView):
    """One page of protection points, newest first, from one list call.

    Subclasses say how to list a page (``list_page``) and what to join to its
    points without a call per row (``join``).
    """

    list_failure_message = ''
    all_projects = False

    def list_page(self, search_opts, marker, prev_marker, limit) -> api.base.Page:
        raise NotImplementedError

    def join(self, points) -> None:
        """Names of the points' resources, from one light list at most."""

    def get_data(self):
        meta = self.table_class._meta
        try:
            page = self.list_page(
                dict(self.get_filters(), **base.all_projects_opts(self.all_projects)),
                marker=self.request.GET.get(meta.pagination_param),
                prev_marker=self.request.GET.get(meta.prev_pagination_param),
                limit=horizon_utils.get_page_size(self.request))
        except Exception:
            utils.handle_error(self.request, self.list_failure_message)
            return []
        self.table.page = page
        self.join(page.items)
        return page.items


class PointDetailView(SessionProjectsMixin, tabs.TabView):
    """One protection point: its overview tab and the table's row actions.

    Subclasses say how to load the point with what its overview shows
    (``load_point``), the overview's template, the table whose row actions
    the page offers, and the index the page returns to.  The templates see
    the point as ``point``.
    """

    tab_group_class = point_tabs.PointDetailTabs
    template_name = 'horizon/common/_detail.html'
    page_title = '{{ point.name|default:point.id }}'
    overview_template = ''
    table_class: type[horizon_tables.DataTable]
    index_url = ''
    failure_message = _("Unable to retrieve the protection point.")

    def load_point(self, point_id: str):
        raise NotImplementedError

    @cached_property
    def point(self):
        try:
            return self.load_point(self.kwargs['point_id'])
        except Exception:
            utils.handle_error(self.request, self.failure_message, redirect=self.index_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = self.table_class(self.request)
        context.update(point=self.point, url=self.index_url,
                       actions=table.render_row_actions(self.point))
        return context

    def get_tabs(self, request, *args, **kwargs):
        return self.tab_group_class(request, point=self.point,
                                    overview_template=self.overview_template, **kwargs)


def enforce(request, plugin: base.ProtectionPlugin, rules: base.PolicyRules) -> None:
    """404 for a plugin switched off, not-authorized for a rule the user lacks."""
    if not plugin.is_enabled(request):
        raise http.Http404
    if rules and not policy.check(rules, request):
        raise exceptions.NotAuthorized


class PluginFormView(SessionProjectsMixin, horizon_forms.ModalFormView):
    """A modal form of one plugin operation; subclasses set ``plugin``."""

    plugin: base.ProtectionPlugin
    #: URL kwarg naming the resource or point acted on, and the URL name.
    target_kwarg = ''
    url_name = ''

    def policy_rules(self) -> base.PolicyRules:
        raise NotImplementedError

    def check_target(self) -> None:
        """Refuse a target the user may not act on (before any form is built)."""

    def dispatch(self, request, *args, **kwargs):
        enforce(request, self.plugin, self.policy_rules())
        self.check_target()
        return super().dispatch(request, *args, **kwargs)

    @property
    def target_id(self) -> str:
        return self.kwargs[self.target_kwarg]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['plugin'] = self.plugin
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['submit_url'] = reverse(self.url_name, args=(self.target_id,))
        return context


class ProtectView(PluginFormView):
    """Protect one resource of the user's own project."""

    form_class = forms.ProtectForm
    success_url = cancel_url = PROTECTABLES_URL

    def policy_rules(self):
        return self.plugin.protect_policy

    @cached_property
    def resource(self):
        registered = base.resource_type(self.plugin.resource_type)
        try:
            resource = registered.get(self.request, self.target_id)
        except Exception:
            utils.handle_error(self.request, _("Unable to retrieve the resource to protect."),
                              redirect=self.cancel_url)
        return resource

    def check_target(self):
        # An admin sees other projects' resources; a point made here would
        # land in the admin's project and count against its quota.
        if self.resource.project_id not in (None, self.request.user.project_id):
            raise exceptions.NotAuthorized

    @cached_property
    def refusal(self) -> str | None:
        """Why the service would refuse the resource now: the form says it and,
        posted, is invalid (no call)."""
        reason = self.plugin.protect_refusal(self.resource)
        if reason is None:
            return None
        return _('"%(name)s" cannot be protected now (%(reason)s).') % {
            'name': self.resource.name or self.resource.id, 'reason': reason}

    def get_initial(self):
        return {'resource_id': self.target_id}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['refusal'] = self.refusal
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.refusal and not context['form'].is_bound:
            context['form'].set_warning(self.refusal)
        context['resource'] = self.resource
        context['quota_title'] = self.plugin.quota_title
        try:
            context['quotas'] = self.plugin.quota_usage(self.request, self.resource)
        except Exception:
            utils.handle_error(self.request, _("Unable to retrieve the quota."))
        return context


class RestoreView(PluginFormView):
    """Restore from one protection point of the user's own project."""

    form_class = forms.RestoreForm

    def policy_rules(self):
        return self.plugin.restore_policy

    @cached_property
    def point(self):
        try:
            point = self.plugin.get_point(self.request, self.target_id)
        except Exception:
            utils.handle_error(self.request, _("Unable to retrieve the protection point."),
                               redirect=self.get_cancel_url() or PROTECTABLES_URL)
        return point

    def check_target(self):
        # A restore lands in the user's project: an admin restores another
        # project's point from that project.
        if self.point.project_id not in (None, self.request.user.project_id):
            raise exceptions.NotAuthorized

    def get_initial(self):
        return {'point_id': self.target_id}
