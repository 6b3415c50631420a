"""The message catalogs: the schemas' texts are extractable, the checked-in .mo files
are compiled from the current .po files, and German reaches the pages' strings."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from protection_dashboard import schema_form, schema_messages
from protection_dashboard.content.protectables.panel import Protectables
from protection_dashboard.protection import base

LOCALE_DIR = Path(schema_form.__file__).parent / "locale"
CATALOGS = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def test_every_schema_text_is_marked_for_extraction():
    assert list(schema_messages.TEXTS) == schema_form.translatable_texts(), (
        "schema_messages.py is out of date with the schemas: run tools/make-messages "
        "and translate the new entries")


def test_both_domains_have_a_template_and_a_german_catalog():
    assert sorted(p.name for p in LOCALE_DIR.glob("*.pot")) == ["django.pot", "djangojs.pot"]
    assert {p.relative_to(LOCALE_DIR).as_posix() for p in CATALOGS} >= {
        "de/LC_MESSAGES/django.po", "de/LC_MESSAGES/djangojs.po"}


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.relative_to(LOCALE_DIR).as_posix())
def test_the_checked_in_mo_is_compiled_from_the_po(po):
    with po.open("rb") as f:
        catalog = read_po(f)
    expected = {}
    for message in catalog:
        if not message.id or message.fuzzy or not all(message.string):
            continue
        if message.pluralizable:
            for index, text in enumerate(message.string):
                expected[(message.id[0], index)] = text
        else:
            expected[message.id] = message.string
    with po.with_suffix(".mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    compiled.pop("", None)  # the header
    assert compiled == expected, "run tools/make-messages to compile %s" % po.name


def test_german_panel_name_table_heading_and_schema_form():
    with translation.override("de"):
        assert str(Protectables.name) == "Schützbare Ressourcen"
        labels = {str(t.label) for t in base.resource_types()}
        assert "Datenträger (OS::Cinder::Volume)" in labels, labels
        fields = schema_form.schema_fields(schema_form.load_schema("volume_backup_options"))
        assert str(fields["name"].label) == "Name der Sicherungskopie"
        assert str(fields["incremental"].help_text).startswith("Nur die seit der letzten")
        assert str(fields["force"].label) == "Erzwingen"
    # and English again outside the override
    assert str(fields["name"].label) == "Backup Name"
