from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from protection_dashboard.content import forms
from protection_dashboard.protection.volume_backup import FORCE_NEEDED


class ProtectVolumeBackupForm(forms.ProtectForm):
    """The backup options; ``force`` where the volume is attached, else not shown.

    An in-use volume without force is refused here, before Cinder is asked;
    Cinder's own refusal (the volume was attached meanwhile) reads the same.
    """

    failure_message = _("Unable to create the volume backup.")

    def __init__(self, request, *args, volume, can_increment: bool, **kwargs):
        self.volume = volume
        super().__init__(request, *args, **kwargs)
        if not self.plugin.needs_force(volume):
            del self.fields['force']
        if not can_increment:
            del self.fields['incremental']

    def clean(self):
        cleaned_data = super().clean()
        if self.plugin.needs_force(self.volume) and not cleaned_data.get('force'):
            self.add_error('force', FORCE_NEEDED)
        return cleaned_data

    def refusal_message(self, exc):
        return self.plugin.explain_refusal(exc) or super().refusal_message(exc)


class RestoreVolumeBackupForm(forms.RestoreForm):
    """Into a new volume, or into a chosen volume once the user confirms the overwrite.

    The name shows for a new volume, the confirmation for an existing one.
    """

    failure_message = _("Unable to restore the volume backup.")

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields['confirm_overwrite'] = django_forms.BooleanField(
            required=False, label=_("Overwrite the chosen volume"),
            help_text=_("Restoring into an existing volume replaces all of its data "
                        "with the backup's."))
        targets = [value for value, _label in getattr(self.fields['volume_id'], 'choices', ())
                   if value]
        self.switch_fields('volume_id', {'name': [''], 'confirm_overwrite': targets})

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get('volume_id') and not cleaned_data.get('confirm_overwrite'):
            self.add_error('confirm_overwrite',
                           _("Confirm that the data of the chosen volume is overwritten."))
        return cleaned_data
