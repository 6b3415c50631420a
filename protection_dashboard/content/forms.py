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
    #: Hidden field carrying the id of the resource or protection point.
    target_field: str = ''
    failure_message = _("The request failed.")

    def __init__(self, request, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields[self.target_field] = forms.CharField(widget=forms.HiddenInput())

    @property
    def plugin(self) -> protection_base.ProtectionPlugin:
        return protection_base.get(self.plugin_name)

    def run(self, request, target: str, options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def success(self, request, result: Any) -> None:
        raise NotImplementedError

    def handle(self, request, data):
        try:
            result = self.run(request, data[self.target_field], self.schema_data)
        except pd_exceptions.REFUSED as exc:
            # The service understood and refused (bad state, quota, ...): say
            # why in the form, where the user can change the input.
            self.api_error('%s %s' % (self.failure_message,
                                      pd_exceptions.service_message(exc)))
            return False
        except Exception:
            exceptions.handle(request, self.failure_message)
            return False
        self.success(request, result)
        return result


class ProtectForm(PluginForm):
    target_field = 'resource_id'

    @property
    def schema_name(self) -> str:
        return self.plugin.options_schema

    def run(self, request, target, options):
        return self.plugin.protect(request, target, options)

    def success(self, request, result):
        messages.success(request, _('Creating protection point "%s".') % (
            getattr(result, 'name', None) or result.id))


class RestoreForm(PluginForm):
    target_field = 'point_id'

    @property
    def schema_name(self) -> str:
        return self.plugin.restore_schema

    def run(self, request, target, options):
        return self.plugin.restore(request, target, options)

    def success(self, request, result):
        messages.success(request, _('Restoring to "%s".') % (
            getattr(result, 'name', None) or result.id))
