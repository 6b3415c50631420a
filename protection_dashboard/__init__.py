"""Protection dashboard: protect and restore OpenStack data from Horizon."""
