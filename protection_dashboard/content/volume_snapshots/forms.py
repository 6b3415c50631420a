from django.utils.translation import gettext_lazy as _

from protection_dashboard.content import forms


class ProtectVolumeForm(forms.ProtectForm):
    plugin_name = 'volume_snapshot'
    failure_message = _("Unable to create the volume snapshot.")


class RestoreVolumeSnapshotForm(forms.RestoreForm):
    plugin_name = 'volume_snapshot'
    failure_message = _("Unable to restore the volume snapshot.")
