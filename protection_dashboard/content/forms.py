"""Schema forms that call a service: protect and restore, generic over the
protection plugins, and the base of the admin's forms.

The fields come from the plugin's JSON schemas (``schema_form``) and the
choices only the cloud knows from the plugin's choice hooks; the form adds
the hidden id of what it acts on and turns the service's refusal into an
error inside the form, so the user can correct the input.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from horizon import forms, messages

from protection_dashboard import api
from protection_dashboard import exceptions as pd_exceptions
from protection_dashboard.content import utils
from protection_dashboard.protection import base as protection_base
from protection_dashboard.protection.steps import StepFailed
from protection_dashboard.schema_form import SchemaFormMixin


class ServiceForm(SchemaFormMixin, forms.SelfHandlingForm):
    """A schema form that makes one service call (``call_service``).

    The service's refusal is shown inside the form, where the user can change
    the input; any other failure is an error banner.
    """

    success_message = ''
    failure_message = _("The request failed.")
    #: Shown when an id the form carries is malformed.
    lost_target_message: str
    #: What the service raises when it understood the request and refused it.
    refused_errors: tuple[type[Exception], ...] = pd_exceptions.REFUSED

    def call_service(self, request, data: dict[str, Any]) -> Any:
        """Make the call with the cleaned ``data``; return what it made."""
        raise NotImplementedError

    def refusal_message(self, exc: Exception) -> str:
        """What the form says when the service refuses: by default, the service's words."""
        return '%s %s' % (self.failure_message, pd_exceptions.service_message(exc))

    def switch_fields(self, target: str, shown: dict[str, list[str]]) -> None:
        """Horizon's switchable fields: field ``name`` of ``shown`` shows only while
        the ``target`` select holds one of its values (without JavaScript all show)."""
        self.fields[target].widget.attrs.update({'class': 'switchable', 'data-slug': target})
        for name, values in shown.items():
            field = self.fields[name]
            field.widget.attrs.update({'class': 'switched', 'data-switch-on': target})
            field.widget.attrs.update({'data-%s-%s' % (target, value): field.label
                                       for value in values})

    def show_refusal(self, exc: Exception) -> None:
        """Put the refusal into the form: by default above the fields."""
        self.api_error(self.refusal_message(exc))

    def handle(self, request, data):
        try:
            result = self.call_service(request, data)
        except self.refused_errors as exc:
            # The service understood and refused (bad state, quota, ...): say
            # why in the form, where the user can change the input.
            self.show_refusal(exc)
            return False
        except pd_exceptions.InvalidId:
            self.api_error(self.lost_target_message)
            return False
        except StepFailed as exc:
            # A multi-step operation failed half-way.  With nothing left behind
            # the form says which step failed; otherwise the user is sent to the
            # points panel, whose row poll removes what is left.
            if not exc.pending:
                self.api_error(str(exc))
                return False
            messages.error(request, str(exc))
            return exc
        except Exception:
            utils.handle_error(request, self.failure_message)
            return False
        messages.success(request, self.success_message % (
            getattr(result, 'name', None) or result.id))
        return result


class PluginForm(ServiceForm):
    """A schema form whose ``submit`` calls one operation of its plugin."""

    #: Hidden field carrying the id of the resource or protection point.
    target_field: str = ''
    #: Shown when that field is missing, malformed or not the form's own target.
    lost_target_message: str

    def __init__(self, request, *args: Any, plugin: protection_base.ProtectionPlugin,
                 **kwargs: Any) -> None:
        self.plugin = plugin
        super().__init__(request, *args, **kwargs)
        self.fields[self.target_field] = forms.CharField(widget=forms.HiddenInput())
        target = self.initial.get(self.target_field) or self.data.get(self.target_field)
        try:
            cloud_choices = self.cloud_choices(request, target)
        except Exception:
            # A banner, and the schema's plain fields: the service checks the input.
            utils.handle_error(request, _("Unable to retrieve the choices of this form."))
            cloud_choices = {}
        for name, choices in cloud_choices.items():
            self.set_choices(name, choices)

    def cloud_choices(self, request, target: str) -> dict[str, list[tuple[str, str]]]:
        raise NotImplementedError

    def clean(self):
        """The hidden target must be the view's own, and a well-formed id."""
        cleaned_data = super().clean()
        target = cleaned_data.get(self.target_field)
        try:
            valid = target == self.initial.get(self.target_field) and api.base.check_id(target)
        except pd_exceptions.InvalidId:
            valid = False
        if not valid:
            self.errors.pop(self.target_field, None)
            self.add_error(None, self.lost_target_message)
        return cleaned_data

    def submit(self, request, target: str, options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def call_service(self, request, data):
        return self.submit(request, data[self.target_field], self.schema_data)


class ProtectForm(PluginForm):
    """Protect a resource; ``refusal``: why the service would refuse it now (an error)."""

    target_field = 'resource_id'
    lost_target_message = _("The resource to protect is missing or not valid. Close the "
                            "form and open it again from the resource's row.")
    success_message = _('Creating protection point "%s".')

    def __init__(self, request, *args: Any, refusal: str | None = None, **kwargs: Any) -> None:
        self.refusal = refusal
        super().__init__(request, *args, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        if self.refusal:
            self.add_error(None, self.refusal)
        return cleaned_data

    @property
    def schema_name(self) -> str:
        return self.plugin.options_schema

    def cloud_choices(self, request, target):
        return self.plugin.protect_choices(request, target)

    def submit(self, request, target, options):
        return self.plugin.protect(request, target, options)


class RestoreForm(PluginForm):
    target_field = 'point_id'
    lost_target_message = _("The protection point to restore is missing or not valid. "
                            "Close the form and open it again from the point's row.")
    success_message = _('Restoring to "%s".')

    @property
    def schema_name(self) -> str:
        return self.plugin.restore_schema

    def cloud_choices(self, request, target):
        return self.plugin.restore_choices(request, target)

    def submit(self, request, target, options):
        return self.plugin.restore(request, target, options)
