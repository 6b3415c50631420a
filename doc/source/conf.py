"""Sphinx configuration of the protection-dashboard documentation (Markdown, MyST)."""

project = 'protection-dashboard'
copyright = 'protection-dashboard developers'

extensions = ['myst_parser', 'openstackdocstheme']
source_suffix = {'.md': 'markdown'}
root_doc = 'index'
exclude_patterns = ['_build']
# Headings become link targets (``page.md#heading``), as on GitHub.
myst_heading_anchors = 3

html_theme = 'openstackdocs'
# openstackdocstheme: the repository the "report a bug" and source links name.
openstackdocs_repo_name = 'protection-dashboard/protection-dashboard'
openstackdocs_use_storyboard = False
openstackdocs_auto_name = False
html_last_updated_fmt = '%Y-%m-%d %H:%M'
html_theme_options = {
    # No tracking of our readers (the theme's default is the OpenStack docs' analytics).
    'analytics_tracking_code': '',
    'display_badge': False,
    'root_title': project,
}
