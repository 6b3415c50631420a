"""Run an oslo.service daemon in ONE process (used by the generated launchers in <state>/bin).

oslo.service's threading backend runs even a single worker under a cotyledon master
that forks it, and Cinder/Manila start their backends through a ProcessLauncher that
forks one child per backend: two processes holding the same ~100-150 MB of imports.
Cinder also starts a privsep helper process per privilege context (~32 MB each) for
calls that need root, while every service here already runs as root.

``install()``, called after the service's own main module is imported (so that it
picked its oslo.service backend and monkey-patching itself), makes oslo.service run
the service in the calling process and privsep run privileged calls in it too.
Runs inside the cloud's venv.
"""

import gc


def one_process_launcher(conf, wait_interval=None, restart_method="reload", no_fork=False,
                         start_method=None):  # fmt: skip
    """Stands in for ProcessLauncher: same arguments, the services run in this process
    (``wait_interval``, ``no_fork`` and ``start_method`` concern forked workers)."""
    from oslo_service import service

    return service.Launcher(conf, restart_method=restart_method)


def launch(conf, server, workers=1, restart_method="reload", no_fork=False, start_method=None):
    """Stands in for oslo_service.service.launch; one worker only (else ValueError)."""
    launcher = one_process_launcher(conf, restart_method=restart_method)
    launcher.launch_service(server, workers=workers)
    return launcher


def privsep_in_process():
    """Every privsep context, existing or created later, calls its functions directly."""
    from oslo_privsep import priv_context

    create = priv_context.PrivContext.__init__

    def init(self, *args, **kwargs):
        create(self, *args, **kwargs)
        self.set_client_mode(False)

    priv_context.PrivContext.__init__ = init
    for obj in gc.get_objects():
        if isinstance(obj, priv_context.PrivContext):
            obj.set_client_mode(False)


def install():
    from oslo_service import service

    service.ProcessLauncher = one_process_launcher
    service.launch = launch
    privsep_in_process()
