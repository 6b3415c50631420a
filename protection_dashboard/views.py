"""Views shared by the whole plugin."""

from django.urls import reverse


def user_home(user) -> str:
    """Where Horizon sends a user after login: the Protection overview."""
    return reverse('horizon:project:protectables:index')
