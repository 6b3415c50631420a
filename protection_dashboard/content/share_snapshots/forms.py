from django.utils.translation import gettext_lazy as _
from horizon import forms as horizon_forms

from protection_dashboard.content import forms

#: Horizon's switchable fields: the target select shows the fields of its choice.
SWITCH = 'restoreto'


class ProtectShareForm(forms.ProtectForm):
    failure_message = _("Unable to create the share snapshot.")


class RestoreShareSnapshotForm(forms.RestoreForm):
    """Restore to a new share, or into the snapshot's share (a revert, confirmed).

    The name and description fields show for a new share, the confirmation
    for a revert (Horizon's switchable fields; without JavaScript all show).
    """

    failure_message = _("Unable to restore the share snapshot.")
    confirm_revert = horizon_forms.BooleanField(
        label=_("I understand that the share's data newer than the snapshot is lost"),
        required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = self.fields['share_id']
        target.label = _("Restore To")
        target.help_text = _("Reverting replaces the share's data with the snapshot's.")
        revert_choices = [value for value, _label in target.choices if value]
        if not revert_choices:
            # No revert offered (the page says why): nothing to switch or confirm.
            del self.fields['confirm_revert']
            return
        target.widget.attrs.update({'class': 'switchable', 'data-slug': SWITCH})
        self._switched('restore_name', [''])
        self._switched('restore_description', [''])
        self._switched('confirm_revert', revert_choices)
        self.order_fields(['share_id', 'restore_name', 'restore_description',
                           'confirm_revert'])

    def _switched(self, name: str, values: list[str]) -> None:
        """Show field ``name`` only while the target is one of ``values``."""
        field = self.fields[name]
        field.widget.attrs.update({'class': 'switched', 'data-switch-on': SWITCH})
        field.widget.attrs.update({'data-%s-%s' % (SWITCH, value): field.label
                                   for value in values})

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get('share_id') and not cleaned_data.get('confirm_revert'):
            self.add_error('confirm_revert', _("Confirm the loss of the share's newer data "
                                               "to revert it."))
        return cleaned_data
