"""A server backup as Glance keeps it: one record image and the backup's parts.

A server backup is recorded by a Glance image of its own: private, hidden
(``os_hidden``: Horizon's and Nova's image lists leave it out) and without data
(``queued``: Nova boots nothing from it).  Its properties name the source
server, its flavor, original image and networks, and the backup's parts, so
the backups are listed with one Glance call (filtered by ``KIND``) and restored
from Glance alone.  A part is either

* the server's image made by Nova's createImage, when the backup holds the
  user data of an image-booted server; or
* a Cinder backup of a volume: the root volume of a server booted from a
  volume, and the attached volumes when the user asks for them.

Every part names its record (``LINK``: a property of the image, metadata of
the backup), so what an interrupted request made is still found.  A running
operation keeps its state in the record (``STATE``, ``RESTORE``): a page
reload or a restart of the web server loses nothing.

This module is data only: reading and writing the properties, and the status
a backup shows, combined from its record and its parts.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from protection_dashboard import api
from protection_dashboard.schedules.retention import SCHEDULE_TAG

LOG = logging.getLogger(__name__)

#: The property telling a record (``RECORD_KIND``) from a server image part
#: (``IMAGE_KIND``), and the property (or backup metadata) naming a part's record.
KIND = 'protection_server_backup'
RECORD_KIND = 'record'
IMAGE_KIND = 'image'
#: The kind of a volume backup part (in the record's list of parts).
VOLUME_KIND = 'volume'
LINK = 'protection_record'
#: Server metadata of a server restored from a backup: the record's id.
RESTORED_FROM = 'protection_restored_from'

SERVER_ID = 'protection_server_id'
SERVER_NAME = 'protection_server_name'
FLAVOR = 'protection_flavor'
SOURCE_IMAGE = 'protection_source_image'
BOOT = 'protection_boot'
USER_DATA = 'protection_user_data'
NETWORKS = 'protection_networks'
PARTS = 'protection_parts'
STATE = 'protection_state'
ERROR = 'protection_error'
RESTORE = 'protection_restore'
RESTORE_ERROR = 'protection_restore_error'
DESCRIPTION = 'description'

#: Boot sources.
BOOT_IMAGE, BOOT_VOLUME = 'image', 'volume'
#: Record states: being made by a request, made, failed while being made (its
#: parts are being removed), being deleted.
CREATING, READY, FAILED, DELETING = 'creating', 'ready', 'failed', 'deleting'
#: A record still ``creating`` this long after it was made belongs to a request
#: that ended before it finished (a restarted web server, say).
STALE_AFTER = datetime.timedelta(minutes=10)

#: The statuses a server backup shows, and which one wins when parts differ.
AVAILABLE, CREATING_STATUS, RESTORING, DELETING_STATUS, ERROR_STATUS = (
    'available', 'creating', 'restoring', 'deleting', 'error')
PRECEDENCE = (ERROR_STATUS, DELETING_STATUS, CREATING_STATUS, RESTORING, AVAILABLE)

#: A part's own status, read as one of the backup's statuses.
IMAGE_STATUSES = {'active': AVAILABLE, 'queued': CREATING_STATUS, 'saving': CREATING_STATUS,
                  'uploading': CREATING_STATUS, 'importing': CREATING_STATUS}
BACKUP_STATUSES = {'available': AVAILABLE, 'creating': CREATING_STATUS,
                   'restoring': RESTORING, 'deleting': DELETING_STATUS}
#: Statuses in which Cinder deletes a volume backup (it refuses any other).
BACKUP_DELETABLE = frozenset({'available', 'error'})

GiB = 1024 ** 3


@dataclasses.dataclass
class Part:
    """One part: the server image (``kind`` image) or a volume backup (``kind`` volume)."""

    kind: str
    id: str
    volume_id: str | None = None
    volume_name: str | None = None
    device: str | None = None
    root: bool = False

    @property
    def is_image(self) -> bool:
        return self.kind == IMAGE_KIND

    def label(self) -> str:
        if self.is_image:
            return _("server image")
        volume = self.volume_name or self.volume_id
        if self.root:
            return _("root volume %(volume)s") % {'volume': volume}
        return _("volume %(volume)s (%(device)s)") % {'volume': volume, 'device': self.device}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Part:
        fields = {field.name for field in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in fields})


@dataclasses.dataclass
class RestoreState:
    """A restore under way: what it made so far and, once failed, which step failed."""

    name: str
    flavor: str
    nics: list[dict[str, str]] | str
    #: The new volumes: ``{'id', 'device', 'root'}`` each.
    volumes: list[dict[str, Any]]
    server: str | None = None
    failed: str | None = None

    @property
    def root_volume(self) -> dict[str, Any] | None:
        return next((volume for volume in self.volumes if volume.get('root')), None)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RestoreState:
        fields = {field.name for field in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in fields})


def dumps(value: Any) -> str:
    if isinstance(value, list):
        return json.dumps([dataclasses.asdict(item) for item in value], separators=(',', ':'))
    return json.dumps(dataclasses.asdict(value), separators=(',', ':'))


def _loads(image: api.glance.Image, key: str, default: Any) -> Any:
    text = image.prop(key)
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        LOG.warning('Server backup record %s: property %s is not JSON; ignored.', image.id, key)
        return default


@dataclasses.dataclass
class Record:
    """The record image of a server backup, its properties read."""

    image: api.glance.Image
    server_id: str | None
    server_name: str | None
    flavor: str | None
    source_image: str | None
    boot: str
    user_data: bool
    networks: list[str]
    parts: list[Part]
    #: False until a request wrote the parts (an ended request never did).
    parts_recorded: bool
    state: str
    error: str | None
    restore: RestoreState | None
    restore_error: str | None
    description: str | None

    @classmethod
    def from_image(cls, image: api.glance.Image) -> Record:
        restore = _loads(image, RESTORE, None)
        return cls(
            image=image, server_id=image.prop(SERVER_ID), server_name=image.prop(SERVER_NAME),
            flavor=image.prop(FLAVOR), source_image=image.prop(SOURCE_IMAGE) or None,
            boot=image.prop(BOOT) or BOOT_IMAGE, user_data=image.prop(USER_DATA) == 'true',
            networks=list(_loads(image, NETWORKS, [])),
            parts=[Part.from_json(part) for part in _loads(image, PARTS, [])],
            parts_recorded=bool(image.prop(PARTS)),
            state=image.prop(STATE) or READY, error=image.prop(ERROR),
            restore=RestoreState.from_json(restore) if restore else None,
            restore_error=image.prop(RESTORE_ERROR), description=image.prop(DESCRIPTION))

    @property
    def id(self) -> str:
        return self.image.id

    @property
    def image_part(self) -> Part | None:
        return next((part for part in self.parts if part.is_image), None)

    @property
    def volume_parts(self) -> list[Part]:
        return [part for part in self.parts if not part.is_image]

    @property
    def boot_image(self) -> str | None:
        """The image a restore boots from: the server's image, else the original one."""
        part = self.image_part
        return part.id if part else self.source_image

    def is_stale(self, now: datetime.datetime | None = None) -> bool:
        if self.state != CREATING or not self.image.created_at:
            return False
        created = datetime.datetime.fromisoformat(self.image.created_at.replace('Z', '+00:00'))
        return (now or timezone.now()) - created > STALE_AFTER


def record_properties(*, server: api.nova.Server, source_image: str | None, boot: str,
                      user_data: bool, networks: list[str],
                      description: str | None) -> dict[str, str]:
    """The properties of a new record (state ``creating``, no parts yet)."""
    properties = {KIND: RECORD_KIND, SERVER_ID: server.id, SERVER_NAME: server.name or '',
                  FLAVOR: server.flavor_ref or '', SOURCE_IMAGE: source_image or '',
                  BOOT: boot, USER_DATA: 'true' if user_data else 'false',
                  NETWORKS: json.dumps(networks), STATE: CREATING}
    if description:
        properties[DESCRIPTION] = description
    return properties


@dataclasses.dataclass
class LivePart:
    """A part as its service shows it now (``resource`` None: it is gone)."""

    part: Part
    resource: Any

    @property
    def status(self) -> str:
        """The part's status read as a backup status."""
        if self.resource is None:
            return ERROR_STATUS
        table = IMAGE_STATUSES if self.part.is_image else BACKUP_STATUSES
        return table.get((self.resource.status or '').lower(), ERROR_STATUS)

    @property
    def service_status(self) -> str:
        return self.resource.status if self.resource is not None else _("Gone")

    @property
    def size_bytes(self) -> int:
        if self.resource is None:
            return 0
        if self.part.is_image:
            return self.resource.size or 0
        return (self.resource.size or 0) * GiB

    def failure(self) -> str | None:
        if self.status != ERROR_STATUS:
            return None
        if self.resource is None:
            return _("%(part)s is gone") % {'part': self.part.label()}
        reason = getattr(self.resource, 'fail_reason', None) if not self.part.is_image else None
        return _("%(part)s failed (%(status)s)%(reason)s") % {
            'part': self.part.label(), 'status': self.resource.status,
            'reason': ': %s' % reason if reason else ''}


class ServerBackup:
    """A server backup as its pages show it: the record and its parts, one status.

    Without ``live_parts`` (a listing that read the records only) the status is the
    record's: available once its parts are recorded, unless it failed or is going.
    """

    def __init__(self, record: Record, live_parts: list[LivePart]):
        self.record = record
        self.live_parts = live_parts
        self.status, self.failure = combined_status(record, live_parts)

    def __getattr__(self, name):
        # id, name, created_at, owner: the record image's
        return getattr(self.record.image, name)

    @property
    def project_id(self) -> str | None:
        return self.record.image.owner

    @property
    def metadata(self) -> dict[str, str]:
        """The schedule's tag of a scheduled backup (a record property), as the other
        points carry it in their metadata (``retention.schedule_of``)."""
        tag = self.record.image.prop(SCHEDULE_TAG)
        return {SCHEDULE_TAG: tag} if tag else {}

    @property
    def description(self) -> str | None:
        return self.record.description

    @property
    def server_id(self) -> str | None:
        return self.record.server_id

    @property
    def server_name(self) -> str | None:
        return self.record.server_name

    @property
    def size(self) -> int:
        """Bytes: the server image's, and the size of each backed-up volume."""
        return sum(live.size_bytes for live in self.live_parts)

    def parts_summary(self) -> str:
        volumes = len(self.record.volume_parts)
        image = (_("server image") if self.record.image_part else
                 _("original image") if self.record.boot == BOOT_IMAGE else '')
        texts = [image] if image else []
        if volumes:
            texts.append(ngettext("%(count)d volume backup", "%(count)d volume backups",
                                  volumes) % {'count': volumes})
        return ' + '.join(texts)

    def parts_display(self) -> str:
        """Every part, for the delete confirmation."""
        return '; '.join(str(part.label()) for part in self.record.parts) or _("no parts")


def combined_status(record: Record, live_parts: list[LivePart]) -> tuple[str, str | None]:
    """The status of a backup from its record and its parts, and why it failed."""
    if record.state == DELETING:
        return DELETING_STATUS, None
    if record.state == FAILED:
        return ERROR_STATUS, record.error
    if record.is_stale():
        return ERROR_STATUS, _("The request that created this backup ended before it "
                               "finished; delete it and back up again.")
    if record.state == CREATING:
        return CREATING_STATUS, None
    statuses = {live.status for live in live_parts}
    if record.restore is not None:
        statuses.add(RESTORING)
    status = next((status for status in PRECEDENCE if status in statuses), AVAILABLE)
    failures = [text for text in (live.failure() for live in live_parts) if text]
    return status, '; '.join(failures) or None
