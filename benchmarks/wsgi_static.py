"""WSGI application of a benchmarked Horizon under gunicorn: Django, and its static files.

The static files are served as the web server in front of a production Horizon serves
them: from ``STATIC_ROOT`` (collected and compressed offline), cacheable for a year (the
compressed files' names change with their content), so a warm browser asks only for
the page and its ajax calls.
"""

import mimetypes
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

django_application = get_wsgi_application()
ROOT = os.path.realpath(settings.STATIC_ROOT)


def application(environ, start_response):
    path = environ.get('PATH_INFO', '')
    if not path.startswith(settings.STATIC_URL):
        return django_application(environ, start_response)
    name = os.path.realpath(os.path.join(ROOT, path[len(settings.STATIC_URL):]))
    if not name.startswith(ROOT + os.sep) or not os.path.isfile(name):
        start_response('404 Not Found', [('Content-Type', 'text/plain')])
        return [b'not found']
    start_response('200 OK', [
        ('Content-Type', mimetypes.guess_type(name)[0] or 'application/octet-stream'),
        ('Content-Length', str(os.path.getsize(name))),
        ('Cache-Control', 'public, max-age=31536000')])
    return environ['wsgi.file_wrapper'](open(name, 'rb'))  # noqa: SIM115 (closed by the server)
