from django.utils.translation import gettext_lazy as _
from horizon import forms as horizon_forms

from protection_dashboard.content import forms


class ProtectShareForm(forms.ProtectForm):
    failure_message = _("Unable to create the share snapshot.")


class RestoreShareSnapshotForm(forms.RestoreForm):
    """Restore to a new share, or into the snapshot's share (a revert, confirmed)."""

    failure_message = _("Unable to restore the share snapshot.")
    confirm_revert = horizon_forms.BooleanField(
        label=_("I understand that the share's data newer than the snapshot is lost"),
        required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields['share_id']
        field.label = _("Restore To")
        field.help_text = _("Reverting replaces the share's data with the snapshot's; "
                            "the name and description below apply to a new share only.")
        if len(field.choices) < 2:
            # No revert offered (the page says why): nothing to confirm.
            del self.fields['confirm_revert']
        self.order_fields(['share_id', 'restore_name', 'restore_description',
                           'confirm_revert'])

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get('share_id') and not cleaned_data.get('confirm_revert'):
            self.add_error('confirm_revert', _("Confirm the loss of the share's newer data "
                                               "to revert it."))
        return cleaned_data
