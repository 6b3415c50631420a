"""Protection plugins: what protecting, restoring and deleting means per resource type.

Importing this package imports every module in it, which registers its
plugins (see ``base.register``): a new plugin module needs no edit elsewhere.
"""

from protection_dashboard.protection import base

base.discover()
