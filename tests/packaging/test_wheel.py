"""The wheel ships the message catalogs (templates, German .po and compiled .mo)."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
LOCALE = REPO / 'protection_dashboard' / 'locale'


def test_the_wheel_ships_every_catalog(wheel):
    catalogs = sorted('protection_dashboard/locale/%s' % p.relative_to(LOCALE).as_posix()
                      for p in LOCALE.rglob('*') if p.suffix in ('.pot', '.po', '.mo'))
    assert 'protection_dashboard/locale/de/LC_MESSAGES/django.mo' in catalogs
    assert sorted(name for name in wheel.names if name.startswith('protection_dashboard/locale/')
                  ) == catalogs
