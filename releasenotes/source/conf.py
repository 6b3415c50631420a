"""Sphinx configuration of the release notes (reno): the documentation's, plus reno."""

from pathlib import Path
from runpy import run_path

_DOCS_CONF = Path(__file__).resolve().parents[2] / 'doc' / 'source' / 'conf.py'
globals().update({key: value for key, value in run_path(str(_DOCS_CONF)).items()
                  if not key.startswith('_')})

project = 'protection-dashboard Release Notes'
extensions = ['reno.sphinxext', *extensions]  # noqa: F821 (from the docs' conf.py)
html_theme_options = {**html_theme_options, 'root_title': project}  # noqa: F821
# reno's directive writes reStructuredText: the index is .rst.
source_suffix = {'.rst': 'restructuredtext'}
