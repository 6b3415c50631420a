from django.utils.translation import gettext_lazy as _

from protection_dashboard.content import forms


class ProtectVolumeForm(forms.ProtectForm):
    failure_message = _("Unable to create the volume snapshot.")


class RestoreVolumeSnapshotForm(forms.RestoreForm):
    failure_message = _("Unable to restore the volume snapshot.")
