"""Hostile input in every form of every plugin, posted as demo against the real cloud.

For each form (found from the registered panels): every kind of hostile value
(``hostile.KINDS``) once, then ``PD_RELIABILITY_EXAMPLES`` examples generated from
the form's JSON schema by hypothesis (seed ``PD_RELIABILITY_SEED``, printed at the
end), valid or with one hostile value.  Never a 5xx; a hostile value is an error
on its field (on the form for the hidden id) and no call that changes the cloud;
valid input is a success or a clear message.  Ids that name nothing in the URLs of
every page are refused without a call.
"""

import os
from urllib import parse

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, note, seed, settings
from hypothesis import strategies as st

from tests.reliability import catalog, conftest, formdata, hostile, site

MANAGEABLE = 'horizon:admin:protection_manageable_snapshots:index'
MANAGE = 'horizon:admin:protection_manageable_snapshots:manage'
ROUTES = catalog.routes()
FORMS = [route for route in ROUTES if route.is_form and route.target]
TARGETED = [route for route in ROUTES if route.target and not route.admin]
SEED = int(os.environ.get('PD_RELIABILITY_SEED', '20261203'))
EXAMPLES = int(os.environ.get('PD_RELIABILITY_EXAMPLES', '6'))
conftest.NOTES.append('hypothesis: seed %d (PD_RELIABILITY_SEED), %d examples per form '
                      '(PD_RELIABILITY_EXAMPLES)' % (SEED, EXAMPLES))


def open_form(route, world, site_of, plugin_calls):
    """The form as demo sees it now (its choices change as examples restore)."""
    url = route.url(world.ids[route.target])
    form = site_of('demo').get(url).context['form']
    ours = set(world.ids.values()) | plugin_calls.made()
    return url, form, hostile.FormSpec.of(form, world.ids[route.target], ours)


def deleted_id(route, world, field, spec) -> str:
    """An id that existed: of the form's target, or of the resource a select names."""
    if field == spec.target_field:
        return world.deleted[route.target]
    return world.deleted[catalog.resource_target(route.plugin.resource_type)]


def post(site_of, plugin_calls, url, form, values, user='demo'):
    mark = plugin_calls.mark()
    response = site_of(user).post(url, formdata.post_data(form, values))
    site.FIGURES['form examples posted'] += 1
    return response, plugin_calls.since(mark)


def assert_refused(response, calls, spec, field):
    errors = formdata.errors(response)
    assert response.status_code == 200, 'accepted (%s)' % response.status_code
    assert (field if field != spec.target_field else '__all__') in errors, errors
    assert not calls and not site.changes(response), (calls, site.changes(response))
    site.FIGURES['hostile values refused in the form'] += 1


def assert_handled(response, spec):
    """A success, or the form again with a message (never a silent no-op)."""
    if response.status_code == 302:
        site.FIGURES['valid examples accepted'] += 1
        return
    errors = formdata.errors(response)
    assert response.status_code == 200 and errors and all(map(any, errors.values())), errors
    assert not set(errors) & set(spec.schema['properties']), errors
    site.FIGURES['valid examples answered with a message'] += 1


def with_value(values, field, value):
    changed = dict(values)
    if value is None:
        changed.pop(field, None)
    else:
        changed[field] = value
    return changed


def post_every_kind(site_of, plugin_calls, url, form, spec, values, deleted, user='demo'):
    """Each kind of hostile value once, in one of the fields it applies to: refused."""
    for index, (kind, value) in enumerate(hostile.KINDS.items()):
        fields = spec.applicable(kind)
        if not fields:
            continue
        field = fields[index % len(fields)]
        if kind == 'deleted id':
            value = deleted(field)
        response, calls = post(site_of, plugin_calls, url, form,
                               with_value(values, field, value), user)
        assert_refused(response, calls, spec, field)


@pytest.mark.parametrize('route', FORMS, ids=str)
def test_every_kind_of_hostile_value_is_refused_in_the_form(route, world, site_of,
                                                            plugin_calls):
    url, form, spec = open_form(route, world, site_of, plugin_calls)
    values = formdata.filled(form, dict.fromkeys(formdata.text_fields(form),
                                                 hostile.UNICODE_TEXT))
    post_every_kind(site_of, plugin_calls, url, form, spec, values,
                    lambda field: deleted_id(route, world, field, spec))
    response, _calls = post(site_of, plugin_calls, url, form, values)
    assert_handled(response, spec)


def test_every_kind_of_hostile_value_is_refused_in_the_manage_snapshot_form(
        world, site_of, plugin_calls):
    """The admin's form, of the first back end listed, with demo's volume chosen (the
    back end in the hidden field is left alone: the view answers a bad one with 404)."""
    admin = site_of('admin')
    host = admin.get(reverse(MANAGEABLE)).context['hosts'][0]
    url = '%s?%s' % (reverse(MANAGE), parse.urlencode({'host': host}))
    form = admin.get(url).context['form']
    volume = catalog.resource_target('OS::Cinder::Volume')
    spec = hostile.FormSpec(form.schema, {name: field for name, field in form.fields.items()
                                          if name != 'host'}, '', host, frozenset())
    values = formdata.filled(form, dict.fromkeys(formdata.text_fields(form),
                                                 hostile.UNICODE_TEXT))
    values['volume_id'] = world.ids[volume]
    post_every_kind(site_of, plugin_calls, url, form, spec, values,
                    lambda field: world.deleted[volume], user='admin')


@pytest.mark.parametrize('route', FORMS, ids=str)
@seed(SEED)
@settings(max_examples=EXAMPLES, database=None, deadline=None,
          phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_input_is_refused_or_handled(route, world, site_of, plugin_calls, data):
    url, form, spec = open_form(route, world, site_of, plugin_calls)
    values = data.draw(hostile.valid_values(spec), label='valid values')
    kinds = ['valid'] + [kind for kind in hostile.KINDS if spec.applicable(kind)]
    kind = data.draw(st.sampled_from(kinds), label='kind')
    if kind == 'valid':
        response, _calls = post(site_of, plugin_calls, url, form, values)
        assert_handled(response, spec)
        return
    field = data.draw(st.sampled_from(spec.applicable(kind)), label='field')
    value = data.draw(hostile.hostile_value(kind, deleted_id(route, world, field, spec)),
                      label='hostile value')
    note('posted to %s' % url)
    response, calls = post(site_of, plugin_calls, url, form, with_value(values, field, value))
    assert_refused(response, calls, spec, field)


@pytest.mark.parametrize('route', TARGETED, ids=str)
def test_ids_that_name_nothing_in_a_url_are_refused_without_a_call(route, world, site_of):
    demo = site_of('demo')
    for bad in [bad for bad in hostile.BOGUS_IDS if '/' not in bad] + [
            world.deleted[route.target]]:
        url = route.url(bad)
        response = demo.get(url)
        site.FIGURES['hostile URLs requested'] += 1
        assert response.status_code in (302, 404) and not site.changes(response)
        if route.is_form:
            response = demo.post(url, {'resource_id': bad, 'point_id': bad})
            assert response.status_code in (302, 404) and not site.changes(response)
