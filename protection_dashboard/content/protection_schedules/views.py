"""Protection schedules of the user's project: list, create, detail (runs and points).

Every view checks the workflow service's policy rules its calls need, as the
buttons do; a failed check is Horizon's not-authorized page, never a form.
"""

from __future__ import annotations

from django import http
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import generic
from horizon import exceptions
from horizon import forms as horizon_forms
from horizon import tables as horizon_tables
from horizon.utils import functions as horizon_utils
from openstack_dashboard import policy

from protection_dashboard import api
from protection_dashboard.content import utils
from protection_dashboard.content.datatable import PagedTablesMixin
from protection_dashboard.content.page_frame import SessionProjectsMixin
from protection_dashboard.content.protection_schedules import forms, joins, tables, times
from protection_dashboard.content.protection_schedules import policy as schedule_policy
from protection_dashboard.schedules import cron

INDEX_URL = reverse_lazy('horizon:project:protection_schedules:index')


def enforce(request, rules) -> None:
    if not policy.check(rules, request):
        raise exceptions.NotAuthorized


class IndexView(PagedTablesMixin, SessionProjectsMixin, horizon_tables.DataTableView):
    """One page of the schedules, newest first, from one call per kind (triggers,
    workflows, runs), joined: the calls and the rows do not grow with the schedules."""

    table_class = tables.SchedulesTable
    page_title = _("Protection Schedules")
    template_name = 'protection_dashboard/protection_schedules/index.html'
    all_projects = False
    list_rules = schedule_policy.LIST

    def dispatch(self, request, *args, **kwargs):
        enforce(request, self.list_rules)
        return super().dispatch(request, *args, **kwargs)

    def join(self, schedules) -> None:
        joins.join_resource_names(self.request, schedules)

    def get_data(self):
        meta = self.table_class._meta
        try:
            page = api.mistral.schedule_page(
                self.request, marker=self.request.GET.get(meta.pagination_param),
                prev_marker=self.request.GET.get(meta.prev_pagination_param),
                limit=horizon_utils.get_page_size(self.request),
                all_projects=self.all_projects)
        except Exception:
            utils.handle_error(self.request, _("Unable to retrieve the protection schedules."))
            return []
        self.table.page = page
        self.join(page.items)
        joins.join_point_counts(self.request, page.items, self.all_projects)
        return page.items


class CreateView(SessionProjectsMixin, horizon_forms.ModalFormView):
    form_class = forms.CreateScheduleForm
    template_name = 'protection_dashboard/protection_schedules/create.html'
    modal_id = 'create_schedule_modal'
    page_title = _("Create Protection Schedule")
    submit_label = _("Create Schedule")
    submit_url = reverse_lazy('horizon:project:protection_schedules:create')
    success_url = cancel_url = INDEX_URL

    def dispatch(self, request, *args, **kwargs):
        enforce(request, schedule_policy.CREATE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['preview'] = context['form'].preview()
        return context

    def form_invalid(self, form):
        """Horizon's form_invalid builds the context around a new, unchecked form: the
        posted form's own preview (and its errors) are rendered instead."""
        return self.render_to_response(self.get_context_data(form=form))


class UpdateView(CreateView):
    """Edit a schedule in its form, filled from its trigger."""

    form_class = forms.UpdateScheduleForm
    modal_id = 'update_schedule_modal'
    page_title = _("Edit Protection Schedule")
    submit_label = _("Save Changes")

    def dispatch(self, request, *args, **kwargs):
        enforce(request, schedule_policy.UPDATE)
        return super(CreateView, self).dispatch(request, *args, **kwargs)

    @cached_property
    def schedule(self):
        try:
            return api.mistral.schedule_get(self.request, self.kwargs['schedule_id'])
        except Exception:
            utils.handle_error(self.request, _("Unable to retrieve the protection schedule."),
                               redirect=INDEX_URL)

    def get_form_kwargs(self):
        return dict(super().get_form_kwargs(), schedule=self.schedule)

    def get_initial(self):
        schedule = self.schedule
        return {'schedule_name': schedule.name, 'resource_type': schedule.resource_type,
                'plugin': schedule.plugin, 'resources': schedule.resources,
                'cron_pattern': schedule.pattern, 'keep_newest': schedule.keep_newest,
                **{'keep_' + period: count for period, count in schedule.keep_periods.items()},
                **forms.options_initial(schedule)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['submit_url'] = reverse('horizon:project:protection_schedules:update',
                                        args=(self.schedule.id,))
        return context


class PreviewView(SessionProjectsMixin, generic.View):
    """The schedule form's live preview: a pattern in words and its next three runs in
    the user's timezone, or why it is not valid (JSON; no service call)."""

    def dispatch(self, request, *args, **kwargs):
        if not (policy.check(schedule_policy.CREATE, request)
                or policy.check(schedule_policy.UPDATE, request)):
            raise exceptions.NotAuthorized
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        pattern = request.GET.get('pattern', '')[:forms.PATTERN_LIMIT]
        try:
            cron.validate_pattern(pattern)
        except ValidationError as exc:
            return http.JsonResponse({'error': ' '.join(exc.messages)})
        return http.JsonResponse(times.pattern_preview(pattern))


class DetailView(SessionProjectsMixin, horizon_tables.DataTableView):
    """One schedule: what it is, its runs (newest first) and the points it made."""

    table_class = tables.RunsTable
    template_name = 'protection_dashboard/protection_schedules/detail.html'
    page_title = '{{ schedule.name }}'

    def dispatch(self, request, *args, **kwargs):
        enforce(request, schedule_policy.GET)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def schedule(self):
        try:
            schedule = api.mistral.schedule_get(self.request, self.kwargs['schedule_id'])
        except Exception:
            utils.handle_error(self.request, _("Unable to retrieve the protection schedule."),
                               redirect=INDEX_URL)
        joins.join_resource_names(self.request, [schedule])
        return schedule

    def get_data(self):
        try:
            return api.mistral.runs_of(self.request, self.schedule)
        except Exception:
            utils.handle_error(self.request, _("Unable to retrieve the schedule's runs."))
            return []

    def points(self) -> list | None:
        """The points of the schedule's plugin that carry its tag, newest first."""
        listed = joins.plugin_points(self.request, self.schedule.plugin, all_projects=False)
        if listed is None:
            return None
        return sorted(joins.schedule_points(listed, self.schedule.id),
                      key=lambda point: point.created_at, reverse=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(schedule=self.schedule, points=self.points(),
                       pattern=tables.pattern_text(self.schedule),
                       protection=tables.protection_text(self.schedule),
                       retention=tables.retention_text(self.schedule),
                       resources=tables.resources_text(self.schedule),
                       next_run=tables.next_run(self.schedule))
        return context
