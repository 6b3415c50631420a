"""The base of every table of ours: a malformed request is a client error.

Horizon's DataTable answers a table action without its ``__`` separators
with a 500, and a row update whose service call failed with status 100
(``RecoverableError``), which leaves a client waiting.  Ours answer 400 and
424 (the request failed because the service call it depends on failed).
"""

from __future__ import annotations

from urllib import parse

from django import http
from django.utils.translation import gettext as _
from horizon import tables
from horizon.tables.base import STRING_SEPARATOR

#: The status of a row update whose service call failed (never 1xx or 5xx).
ROW_UPDATE_FAILED = 424


class MalformedAction(Exception):
    """A table action that does not read ``<table>__<action>[__<id>]``."""


class ProtectionTable(tables.DataTable):
    """Also pages by the markers of the page it shows (ids or Manila's offsets)."""

    #: The page shown (``api.base.Page``), set by the view that lists it.
    page = None

    def get_object_display(self, datum):
        return datum.name or datum.id

    def get_marker(self):
        return parse.quote_plus(self.page.next_marker or '')

    def get_prev_marker(self):
        return parse.quote_plus(self.page.prev_marker or '')

    @classmethod
    def check_handler(cls, request):
        action = request.POST.get('action') if request.method == 'POST' else None
        if action is not None and STRING_SEPARATOR not in action:
            raise MalformedAction
        return super().check_handler(request)

    def maybe_preempt(self):
        try:
            response = super().maybe_preempt()
        except MalformedAction:
            return http.HttpResponseBadRequest(_("Malformed table action."))
        if response is not None and response.status_code < 200:
            return http.HttpResponse(status=ROW_UPDATE_FAILED)
        return response

    def maybe_handle(self):
        try:
            return super().maybe_handle()
        except MalformedAction:
            return http.HttpResponseBadRequest(_("Malformed table action."))


class PagedTablesMixin:
    """A table view whose ProtectionTables link the pages beside the one shown."""

    def has_more_data(self, table):
        return table.page is not None and table.page.next_marker is not None

    def has_prev_data(self, table):
        return table.page is not None and table.page.prev_marker is not None
