"""Scheduled protection (issue 18), the parts that need no cloud.

``retention`` selects what a schedule's run deletes, ``cron`` checks and previews
a cron pattern, ``workflow`` generates the workflow service's (Mistral's)
definition of a schedule, ``overdue`` tells a schedule that stopped making points.
``retention`` also runs inside Mistral (``mistral_actions.RetentionExpired``): it
imports nothing but the standard library. See
``doc/source/contributor/scheduled-protection.md``.
"""
