from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from protection_dashboard.content import forms

NEEDS_BACKUP_SERVICE = _("This server boots from a volume: its backup is a backup of that "
                         "volume, and this cloud runs no volume backup service.")


class ProtectServerBackupForm(forms.ProtectForm):
    """The backup options that apply to this server.

    "Include user data" only for a server booted from an image, where the
    setting allows it (checked by default); "Back up the attached volumes"
    only where there are such volumes and a backup service.
    """

    failure_message = _("Unable to create the server backup.")

    def __init__(self, request, *args, server, backup_service: bool, **kwargs):
        self.server = server
        self.backup_service = backup_service
        super().__init__(request, *args, **kwargs)
        if not (server.image_id and self.plugin.snapshot_enabled()):
            del self.fields['enable_server_snapshot']
        data_volumes = len(server.attached_volume_ids) - (0 if server.image_id else 1)
        if data_volumes < 1 or not backup_service:
            del self.fields['backup_volumes']
        else:
            self.fields['backup_volumes'].label = ngettext(
                "Back up the attached volume", "Back up the %(count)d attached volumes",
                data_volumes) % {'count': data_volumes}

    def schema_initial(self):
        return {'enable_server_snapshot': self.plugin.snapshot_enabled()}

    def clean(self):
        cleaned_data = super().clean()
        if self.server.image_id is None and not self.backup_service:
            self.add_error(None, NEEDS_BACKUP_SERVICE)
        return cleaned_data


class RestoreServerBackupForm(forms.RestoreForm):
    """A new server; "Restore the volumes" only for a backup with volumes besides its root."""

    failure_message = _("Unable to restore the server backup.")

    def __init__(self, request, *args, backup, **kwargs):
        super().__init__(request, *args, **kwargs)
        data_volumes = [part for part in backup.record.volume_parts if not part.root]
        if not data_volumes:
            del self.fields['restore_volumes']
        else:
            self.fields['restore_volumes'].label = ngettext(
                "Restore the backed-up volume and attach it",
                "Restore the %(count)d backed-up volumes and attach them",
                len(data_volumes)) % {'count': len(data_volumes)}
