"""Django settings of the benchmark's Horizon with its Django Images panel.

The dev site's settings, with Horizon's Images panel rendered on the server (the Django
table of Horizon before its AngularJS panel, ``ANGULAR_FEATURES['images_panel']``
False): the AngularJS panel, Horizon's default, sends an empty page and lists the images
from the browser afterwards, so neither its server time nor its load event includes the
image list.  The Django table lists them while it renders, as our Server Backups page does.
"""

from devsite.settings import *  # noqa: F403

ANGULAR_FEATURES = dict(ANGULAR_FEATURES, images_panel=False)  # noqa: F405
