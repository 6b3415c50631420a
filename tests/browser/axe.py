"""axe-core (node_modules/axe-core, installed by tools/setup-dashboard from npm)
run in the page by Selenium: the serious and critical violations of a page, with
Horizon's own chrome left out.

What is left out, and why (doc/source/contributor/accessibility.md lists the same):

- ``HORIZON_CHROME``: the parts of every Horizon page that Horizon renders the same
  for every panel (header, side navigation, breadcrumb, footer, message area);
  axe does not look into them.
- ``HORIZON_RULES``: page-level rules that fail on Horizon's base template itself,
  whatever a panel renders; switched off.
- ``HORIZON_WIDGETS``: per rule, the markup Horizon's own templates and theme write
  inside our pages (the data table's filter box and row-action caret, the modal's
  close button, the theme's link and button colours); a violation on an element
  within them is dropped, every other element is still checked by that rule.
"""

from __future__ import annotations

import os
from typing import Any

from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser import pages

AXE_JS = os.path.join(pages.REPO_DIR, 'node_modules', 'axe-core', 'axe.min.js')

HORIZON_CHROME = ('.topbar', '#sidebar', '.page-breadcrumb', '#footer',
                  '#main_content > .messages', 'noscript')
HORIZON_RULES = {
    'html-has-lang': "base.html writes <html> without a lang attribute",
}
HORIZON_WIDGETS = {
    # horizon/common/_data_table_table_actions.html: the filter box has a placeholder,
    # no label.
    'label': ('.table_search',),
    # _data_table_row_actions_dropdown.html (rows and detail pages): the caret opening
    # "more actions" is an icon-only link; _modal.html: the modal's close "x" likewise.
    'link-name': ('.btn-group > .dropdown-toggle', '.modal-header .close'),
    # The default theme's colours: links #428bca on the striped rows' #f9f9f9
    # (3.45:1), .btn-primary and the faded disabled buttons.
    'color-contrast': ('table.datatable td a', '.btn'),
}
IMPACTS = ('serious', 'critical')

_RUN = """
const [context, rules, widgets, impacts] = arguments;
const done = arguments[arguments.length - 1];
const horizons = (rule, node) => {
  const el = document.querySelector(node.target[0]);
  return el !== null && (widgets[rule] || []).some(selector => el.closest(selector));
};
axe.run(context, {resultTypes: ['violations'], rules: rules})
  .then(result => done(result.violations
    .filter(v => impacts.includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.filter(n => !horizons(v.id, n))
                  .map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300)}))}))
    .filter(v => v.nodes.length)))
  .catch(error => done({error: String(error)}));
"""


def violations(browser: WebDriver, within: str | None = None) -> list[dict[str, Any]]:
    """The serious and critical violations of ours on the page as it is now, or only
    inside the element ``within`` (a CSS selector: ``#modal_wrapper``)."""
    if not browser.execute_script('return typeof window.axe === "object";'):
        with open(AXE_JS, encoding='utf-8') as f:
            browser.execute_script(f.read())
    context = {'exclude': [[selector] for selector in HORIZON_CHROME]}
    if within:
        context['include'] = [[within]]
    rules = {rule: {'enabled': False} for rule in HORIZON_RULES}
    found = browser.execute_async_script(_RUN, context, rules, HORIZON_WIDGETS, IMPACTS)
    if isinstance(found, dict):
        raise AssertionError('axe-core failed: %s' % found['error'])
    return found


def report(where: str, found: list[dict[str, Any]]) -> str:
    """One line per violation, then up to five of its elements."""
    lines = []
    for violation in found:
        lines.append('%s: %s (%s) %s' % (where, violation['id'], violation['impact'],
                                         violation['help']))
        lines.extend('    %s  %s' % (node['target'], node['html'])
                     for node in violation['nodes'][:5])
    return '\n'.join(lines)
