"""Keystone sessions for the users of cloud.json (needs keystoneauth1: venvs only)."""

from keystoneauth1 import exceptions as ksa_exceptions
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3


def password_auth(info, user):
    """The v3 password plugin of ``info["users"][user]``."""
    u = info["users"][user]
    return v3.Password(
        auth_url=info["auth_url"],
        username=u["username"],
        password=u["password"],
        project_name=u["project_name"],
        user_domain_name=u["user_domain_name"],
        project_domain_name=u["project_domain_name"],
    )


def session_for(info, user):
    """An authenticated keystoneauth1 session of ``user``."""
    return ks_session.Session(auth=password_auth(info, user))


def password_accepted(info, username, password, domain="Default"):
    """Whether Keystone issues ``username`` a token for ``password`` (unscoped)."""
    plugin = v3.Password(auth_url=info["auth_url"], username=username, password=password,
                         user_domain_name=domain)  # fmt: skip
    try:
        ks_session.Session(auth=plugin).get_token()
    except ksa_exceptions.Unauthorized:
        return False
    return True
