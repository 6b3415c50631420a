"""Tables of protectable resources, one per resource type."""

from django.template import defaultfilters
from django.utils.translation import gettext_lazy as _
from horizon import tables
from horizon.utils import filters


class ProtectableTable(tables.DataTable):
    """Common columns: what a resource is and when it was last protected."""

    name = tables.WrappingColumn('name', verbose_name=_("Name"))
    status = tables.Column('status', verbose_name=_("Status"),
                           filters=(filters.replace_underscores, defaultfilters.capfirst))
    last_protected = tables.Column(
        'last_protected', verbose_name=_("Newest Protection Point"),
        empty_value=_("Not protected"), filters=(filters.parse_isotime,))
    project = tables.Column('project_id', verbose_name=_("Project ID"))

    def __init__(self, request, *args, all_projects: bool = False, **kwargs):
        super().__init__(request, *args, **kwargs)
        if not all_projects:
            del self.columns['project']

    def get_object_display(self, datum):
        return datum.name or datum.id


class VolumesTable(ProtectableTable):
    size = tables.Column('size', verbose_name=_("Size"),
                         filters=(lambda size: _("%s GiB") % size,))
    attached = tables.Column('is_attached', verbose_name=_("Attached"),
                             filters=(defaultfilters.yesno, defaultfilters.capfirst))

    class Meta:
        name = 'volumes'
        verbose_name = _("Volumes (OS::Cinder::Volume)")
        columns = ('name', 'project', 'size', 'status', 'attached', 'last_protected')


class SharesTable(ProtectableTable):
    size = tables.Column('size', verbose_name=_("Size"),
                         filters=(lambda size: _("%s GiB") % size,))
    proto = tables.Column('share_proto', verbose_name=_("Protocol"))

    class Meta:
        name = 'shares'
        verbose_name = _("Shares (OS::Manila::Share)")
        columns = ('name', 'project', 'size', 'proto', 'status', 'last_protected')


def boot_source(server) -> str:
    return _("Image") if server.image_id else _("Volume")


class ServersTable(ProtectableTable):
    boot = tables.Column(boot_source, verbose_name=_("Boots From"))
    volumes = tables.Column(lambda server: len(server.attached_volume_ids),
                            verbose_name=_("Attached Volumes"))

    class Meta:
        name = 'servers'
        verbose_name = _("Servers (OS::Nova::Server)")
        columns = ('name', 'project', 'status', 'boot', 'volumes', 'last_protected')
