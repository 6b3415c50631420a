"""The run leaves nothing behind that it did not make on purpose (runs last).

Counted in demo's, alt_demo's and admin's projects: the run's resources by name
prefix, handed ids and lineage (``inventory``); those made on purpose are the
world's and what the plugins returned to the suite's forms.  Anything else of the
run is an orphan of an operation that did not clean up after itself (a part that names
its backup in its metadata or properties belongs to that backup).
"""

from tests.reliability import conftest, site


def test_the_run_leaves_no_resource_it_did_not_make_on_purpose(world, inventory,
                                                              plugin_calls):
    found = inventory.find()
    on_purpose = inventory.on_purpose(found, inventory.made | plugin_calls.made())
    orphans = [(f.kind.name, f.id, f.name) for f in found if f.id not in on_purpose]
    conftest.NOTES.append('resources of this run after it, before the clean-up: %d %s' % (
        len(found), dict(inventory.count(found))))
    site.FIGURES['orphaned resources found'] += len(orphans)
    assert not orphans
