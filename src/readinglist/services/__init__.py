"""Use cases: the only way library state changes, shared by the GUI and the CLI."""
