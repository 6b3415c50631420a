"""A user picks German in Horizon's user settings and reads the Protection pages in
German: navigation, page heading, table headings and columns, and a schema form's
labels and help (the catalogs in protection_dashboard/locale)."""

import pytest

from tests.browser import pages

pytestmark = pytest.mark.browser

_LABELS = """
const m = document.querySelector('#modal_wrapper .modal.in');
return Array.from(m.querySelectorAll('label[for]'))
  .map(l => [l.getAttribute('for'), l.textContent.trim().replace(/\\s+/g, ' ')]);
"""
_HELP = """
return Array.from(document.querySelectorAll('#modal_wrapper .modal.in [title], '
  + '#modal_wrapper .modal.in [data-original-title]'))
  .map(e => e.getAttribute('data-original-title') || e.getAttribute('title'));
"""


def test_german_from_the_user_settings(browser, dashboard_url, cloud_info):
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, '/settings/')
    pages.submit_modal_form(browser, {'language': 'de'})
    pages.wait_until(browser, lambda b: (b.get_cookie('horizon_language') or {}).get('value')
                     == 'de', message='Horizon did not set the language cookie')

    pages.open_panel(browser, dashboard_url, '/project/')
    pages.open_sidebar_panel(browser, 'Project', 'Schutz', 'Schützbare Ressourcen')
    assert pages.url_path(browser) == '/project/protectables/'
    assert pages.page_title(browser) == 'Schützbare Ressourcen'
    assert {'Schützbare Ressourcen', 'Datenträger-Schattenkopien', 'Freigabe-Schattenkopien',
            'Datenträger-Sicherungskopien'} <= set(pages.sidebar_groups(browser, 'project')[
                'Schutz'])
    assert pages.table_titles(browser)[:3] == [
        'Datenträger (OS::Cinder::Volume)', 'Freigaben (OS::Manila::Share)',
        'Server (OS::Nova::Server)']
    assert {'Name', 'Status', 'Neuester Schutzpunkt', 'Angehängt'} <= set(
        pages.table_columns(browser, 'volumes'))

    volume = cloud_info['seed']['volume_available']['name']
    pages.click_row_action(browser, 'volumes', volume, 'Schattenkopie erstellen')
    modal = pages.wait_for_modal(browser)
    pages.snap(browser, 'german-create-snapshot')
    assert 'Datenträger-Schattenkopie erstellen' in modal.text
    labels = dict(browser.execute_script(_LABELS))
    assert labels['id_snapshot_name'].startswith('Name der Schattenkopie'), labels
    assert labels['id_description'].startswith('Beschreibung'), labels
    assert 'Der Name der Datenträger-Schattenkopie.' in browser.execute_script(_HELP)
    pages.close_modal(browser)
