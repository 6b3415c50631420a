"""Protection plugins: what protecting, restoring and deleting means per resource type."""
