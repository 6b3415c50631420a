# shellcheck shell=bash
# plugin.sh - DevStack plugin of protection-dashboard: installs the plugin into
# DevStack's Horizon and enables its panels and its settings snippet, as the
# README's install steps 2 and 3 do. DevStack's Horizon then collects and
# compresses the static files (init_horizon runs after the post-config phase).
# The message catalogs are compiled in the repository: nothing to compile here.

# The files copied into Horizon, relative to the package directory
# (tests/packaging/test_devstack.py checks the wheel ships them).
PROTECTION_DASHBOARD_ENABLED='enabled/_6*_protection_*.py'
PROTECTION_DASHBOARD_SNIPPET=local_settings.d/_6000_protection_dashboard.py

function install_protection_dashboard {
    setup_develop "$PROTECTION_DASHBOARD_DIR"
}

function horizon_local_dir {
    echo "${HORIZON_DIR:-$DEST/horizon}/openstack_dashboard/local"
}

function configure_protection_dashboard {
    local package=$PROTECTION_DASHBOARD_DIR/protection_dashboard
    local local_dir
    local_dir=$(horizon_local_dir)
    # The glob must expand here: it names the panels' enabled files.
    # shellcheck disable=SC2086
    cp -a "$package"/$PROTECTION_DASHBOARD_ENABLED "$local_dir/enabled/"
    cp -a "$package/$PROTECTION_DASHBOARD_SNIPPET" "$local_dir/local_settings.d/"
}

function remove_protection_dashboard {
    local local_dir
    local_dir=$(horizon_local_dir)
    # shellcheck disable=SC2086
    rm -f "$local_dir"/$PROTECTION_DASHBOARD_ENABLED "$local_dir/$PROTECTION_DASHBOARD_SNIPPET"
}

if is_service_enabled horizon && is_service_enabled protection-dashboard; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing protection-dashboard"
        install_protection_dashboard
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Enabling protection-dashboard in Horizon"
        configure_protection_dashboard
    fi

    if [[ "$1" == "clean" ]]; then
        # clean.sh runs unstack.sh first; Horizon is then set up anew by stack.sh.
        remove_protection_dashboard
    fi
fi
