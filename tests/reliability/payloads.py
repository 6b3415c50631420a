"""Script payloads for names and descriptions, and the check that none got through.

Every name carries the run's prefix (``RUN``), so the suite finds what it made
among the resources other sessions make at the same time.
"""

from __future__ import annotations

import os
import secrets

#: This run's prefix: every resource the suite names carries it.
RUN = os.environ.get('PD_RELIABILITY_RUN') or 'pdrel-%s' % secrets.token_hex(4)

#: Pieces that reach the page intact only when it does not escape them (Horizon's
#: AngularJS interpolates ``{$ $}``: escaped, it becomes ``{% %}``).
MARKERS = ('<script>alert(', '<img src=x onerror=', '"><svg onload=', "' onmouseover='",
           '{$7*191$}')


def name(kind: str) -> str:
    """A name for a ``kind`` of resource that runs scripts if a page does not escape it."""
    return '%s %s <script>alert("%s")</script><img src=x onerror=alert(1)>{$7*191$}' % (
        RUN, kind, kind)


def description(kind: str) -> str:
    return '%s %s "><svg onload=alert(2)> \' onmouseover=\'alert(3)' % (RUN, kind)


def unescaped(html: str) -> list[str]:
    """The places where a payload reached the page intact (with some context)."""
    found = []
    for marker in MARKERS:
        start = html.find(marker)
        if start >= 0:
            found.append(html[max(0, start - 120):start + 60])
    return found
