"""The development site: Horizon with this plugin, configured from the environment."""
