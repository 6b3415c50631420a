import horizon
from django.utils.translation import gettext_lazy as _


class Protectables(horizon.Panel):
    name = _("Protectable Resources")
    slug = 'protectables'
