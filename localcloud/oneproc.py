"""Run an oslo.service daemon in ONE process (used by the generated launchers in <state>/bin).

oslo.service's threading backend runs even a single worker under a cotyledon master
that forks it, and Cinder/Manila start their backends through a ProcessLauncher that
forks one child per backend: two processes holding the same ~100-150 MB of imports.
After the service's own main module is imported (so it picked its oslo.service backend
itself), ``install()`` makes both ways run the service in the calling process.
Runs inside the cloud's venv.
"""

from oslo_service import service


def one_process_launcher(conf, wait_interval=None, restart_method="reload", no_fork=False,
                         start_method=None):  # fmt: skip
    """Stands in for ProcessLauncher: same arguments, the services run in this process
    (``wait_interval``, ``no_fork`` and ``start_method`` concern forked workers)."""
    return service.Launcher(conf, restart_method=restart_method)


def launch(conf, server, workers=1, restart_method="reload", no_fork=False, start_method=None):
    """Stands in for oslo_service.service.launch; one worker only (else ValueError)."""
    launcher = service.Launcher(conf, restart_method=restart_method)
    launcher.launch_service(server, workers=workers)
    return launcher


def install():
    service.ProcessLauncher = one_process_launcher
    service.launch = launch
