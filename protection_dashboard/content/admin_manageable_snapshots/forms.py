"""Manage (import) a snapshot a back end holds: the form of ``snapshot_manage.json``."""

from __future__ import annotations

from cinderclient import exceptions as cinder_exc
from django.utils.translation import gettext_lazy as _
from horizon import forms

from protection_dashboard import api
from protection_dashboard import exceptions as pd_exceptions
from protection_dashboard.content import utils
from protection_dashboard.content.forms import ServiceForm


class ManageSnapshotForm(ServiceForm):
    """The parent volume is chosen among the volumes of the back end listed.

    Cinder's answers, after the spec: an unknown volume is a 404 at once (an
    error on the volume field); a reference the back end does not hold is
    accepted, and the snapshot turns ``error`` later (the snapshots page
    says why).
    """

    schema_name = 'snapshot_manage'
    success_message = _('Managing snapshot "%s": it turns Available once Cinder holds it, '
                        'or Error if the back end has no such snapshot of the volume.')
    failure_message = _("Unable to manage the snapshot.")
    lost_target_message = _("The volume chosen is not valid.")
    # Cinder's 404: the volume does not exist (any more).
    refused_errors = ServiceForm.refused_errors + (cinder_exc.NotFound,)

    host = forms.CharField(widget=forms.HiddenInput())

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        host = self.initial.get('host') or self.data.get('host')
        try:
            volumes = api.cinder.volume_list(request, {'all_tenants': True, 'host': host})
        except Exception:
            utils.handle_error(request, _("Unable to retrieve the volumes of this back end."))
            volumes = []
        self.set_choices('volume_id', [('', _("Select the snapshot's volume"))] + [
            (volume.id, '%s (%s)' % (volume.name or volume.id, volume.id))
            for volume in sorted(volumes, key=lambda volume: volume.name or volume.id)])
        hint = self.initial.get('volume_hint') or ''
        matches = [volume.id for volume in volumes if volume.id in hint]
        if len(matches) == 1 and 'volume_id' not in self.initial:
            self.initial['volume_id'] = matches[0]

    def call_service(self, request, data):
        options = self.schema_data
        return api.cinder.volume_snapshot_manage(
            request, options['volume_id'], {options['ref_type']: options['ref_value']},
            name=options.get('name'), description=options.get('description'),
            metadata=options.get('metadata'))

    def show_refusal(self, exc):
        if isinstance(exc, cinder_exc.NotFound):
            self.add_error('volume_id', _("Cinder has no such volume: %s Choose the volume "
                                          "the back-end snapshot belongs to.")
                           % pd_exceptions.service_message(exc))
        else:
            super().show_refusal(exc)
