"""Scheduled protection (issue 18), the parts that need no cloud.

Groundwork, not yet used by a panel: ``retention`` selects what a schedule's run
deletes, ``cron`` checks and previews a cron pattern, ``workflow`` generates the
workflow service's (Mistral's) definition of a schedule. See
``doc/source/contributor/scheduled-protection.md`` for what exists and what is left.
"""
