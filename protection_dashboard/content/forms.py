"""Protect and restore forms, generic over the protection plugins.

The fields come from the plugin's JSON schemas (``schema_form``); the form
only adds the hidden id of what it acts on and turns the service's refusal
into an error inside the form, so the user can correct the input.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from horizon import exceptions, forms, messages

from protection_dashboard import exceptions as pd_exceptions
from protection_dashboard.protection import base as protection_base
from protection_dashboard.schema_form import SchemaFormMixin


class PluginForm(SchemaFormMixin, forms.SelfHandlingForm):
    """A schema form that hands its validated payload to one plugin operation."""

    plugin_name: str = ''
    #: The plugin method to call ('protect' or 'restore') and the plugin
    #: attribute naming its schema.
    operation: str = ''
    schema_attribute: str = ''
    #: Hidden field carrying the id of the resource or protection point.
    target_field: str = ''
    success_message = ''
    failure_message = _("The request failed.")

    def __init__(self, request, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields[self.target_field] = forms.CharField(widget=forms.HiddenInput())

    @property
    def plugin(self) -> protection_base.ProtectionPlugin:
        return protection_base.get(self.plugin_name)

    @property
    def schema_name(self) -> str:
        return getattr(self.plugin, self.schema_attribute)

    def handle(self, request, data):
        operation = getattr(self.plugin, self.operation)
        try:
            result = operation(request, data[self.target_field], self.schema_data)
        except pd_exceptions.REFUSED as exc:
            # The service understood and refused (bad state, quota, ...): say
            # why in the form, where the user can change the input.
            self.api_error('%s %s' % (self.failure_message,
                                      pd_exceptions.service_message(exc)))
            return False
        except Exception:
            exceptions.handle(request, self.failure_message)
            return False
        messages.success(request, self.success_message % (
            getattr(result, 'name', None) or result.id))
        return result


class ProtectForm(PluginForm):
    operation = 'protect'
    schema_attribute = 'options_schema'
    target_field = 'resource_id'
    success_message = _('Creating protection point "%s".')


class RestoreForm(PluginForm):
    operation = 'restore'
    schema_attribute = 'restore_schema'
    target_field = 'point_id'
    success_message = _('Restoring to "%s".')
