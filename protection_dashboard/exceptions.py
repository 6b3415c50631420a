"""Client exceptions that Horizon's ``exceptions.handle`` should recognise.

Registered through ``ADD_EXCEPTIONS`` in the enabled files, so that a failing
backend shows an error banner instead of a 500 page.  Our clients talk through
keystoneauth1 sessions: connection failures surface as keystoneauth1
exceptions, HTTP errors as the service client's own.
"""

import logging
import re

from cinderclient import exceptions as cinder_exc
from glanceclient import exc as glance_exc
from keystoneauth1 import exceptions as ksa_exc
from manilaclient.common.apiclient import exceptions as manila_exc
from mistralclient.api import base as mistral_base
from novaclient import exceptions as nova_exc

LOG = logging.getLogger(__name__)


class InvalidId(Exception):
    """An id that cannot name a resource (``api.base.check_id``): a 404, no API call."""


class UnsupportedVersion(Exception):
    """The service speaks no microversion that an operation needs (shown as a banner)."""


UNAUTHORIZED = (
    ksa_exc.Unauthorized,
    manila_exc.Unauthorized,
)

NOT_FOUND = (
    InvalidId,
    ksa_exc.NotFound,
    manila_exc.NotFound,
)

#: What the services answer for a resource that is gone (a multi-step operation's
#: clean-up takes it as already done).
GONE = (
    glance_exc.HTTPNotFound,
    cinder_exc.NotFound,
    nova_exc.NotFound,
    ksa_exc.NotFound,
)

RECOVERABLE = (
    UnsupportedVersion,
    ksa_exc.ClientException,
    cinder_exc.ClientException,
    manila_exc.ClientException,
    nova_exc.ClientException,
    glance_exc.BaseException,
    mistral_base.APIException,
)

#: The service answered and refused the request (4xx): its message tells the
#: user what to change, so forms show it rather than a generic banner.
REFUSED = (
    cinder_exc.BadRequest,
    cinder_exc.OverLimit,
    cinder_exc.Forbidden,
    manila_exc.BadRequest,
    manila_exc.Conflict,
    manila_exc.Forbidden,
    manila_exc.RequestEntityTooLarge,
    nova_exc.BadRequest,
    nova_exc.Conflict,
    nova_exc.Forbidden,
    glance_exc.HTTPBadRequest,
    glance_exc.HTTPConflict,
)


#: Longest service explanation shown to a user; the whole text goes to the log.
MESSAGE_LIMIT = 200


def service_message(exc: Exception) -> str:
    """The human part of a client exception, short enough to read in a form.

    Services sometimes explain a refusal with their whole validation schema
    (Cinder quotes its regular expression): the user gets the first sentence,
    cut at ``MESSAGE_LIMIT`` characters; the log keeps the full text.
    """
    message = getattr(exc, 'message', None) or getattr(exc, 'details', None) or str(exc)
    message = ' '.join(str(message).split())
    short = re.split(r'(?<=[.!?])\s', message, maxsplit=1)[0]
    if len(short) > MESSAGE_LIMIT:
        short = short[:MESSAGE_LIMIT - 1].rstrip() + '\u2026'
    if short != message:
        LOG.info('Service refusal shown shortened; in full: %s', message)
    return short
