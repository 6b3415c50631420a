"""Every project's schedules: list and delete."""

from django.utils.translation import gettext_lazy as _
from horizon import tables

from protection_dashboard.content.protection_schedules import tables as project_tables


class AdminUpdateRow(project_tables.UpdateRow):
    """A run of another project is listed only with all projects."""

    all_projects = True


class AdminSchedulesTable(project_tables.SchedulesTable):
    """Resources by id: the name lists are per project."""

    name = tables.WrappingColumn('name', verbose_name=_("Name"))
    project = tables.Column('project_id', verbose_name=_("Project ID"))

    class Meta(project_tables.SchedulesTable.Meta):
        name = 'schedules'
        columns = ('name', 'project', 'resource_type', 'resources', 'pattern', 'next_run',
                   'last_run', 'last_result', 'points')
        row_class = AdminUpdateRow
        table_actions = (project_tables.DeleteSchedule,)
        row_actions = (project_tables.DeleteSchedule,)
