"""``python3 -m localcloud up`` on a cloud that is up keeps everyone signed in.

Keystone revokes a user's tokens when the user's password is set, so provisioning
sets a password only when Keystone does not take it.
"""

import requests

from tests.integration.conftest import make_session
from tests.integration.test_localcloud_stop_start import localcloud  # noqa: F401


def token_valid(cloud_info, token: str) -> bool:
    response = requests.get(cloud_info['auth_url'] + '/auth/tokens', timeout=30,
                            headers={'X-Auth-Token': token, 'X-Subject-Token': token})
    return response.status_code == 200


def test_up_again_keeps_the_users_tokens(cloud_info, localcloud):  # noqa: F811
    tokens = {user: make_session(cloud_info, user).get_token()
              for user in ('demo', 'alt_demo', 'admin')}
    assert all(token_valid(cloud_info, token) for token in tokens.values())
    r = localcloud('up')
    assert r.returncode == 0, r.stdout + r.stderr
    assert {user: token_valid(cloud_info, token) for user, token in tokens.items()} == \
        dict.fromkeys(tokens, True)
