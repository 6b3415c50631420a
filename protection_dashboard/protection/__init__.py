"""Protection plugins: what protecting, restoring and deleting means per resource type.

Importing this package registers every plugin (see ``base.registered``).
"""

from protection_dashboard.protection import volume_snapshot  # noqa: F401
