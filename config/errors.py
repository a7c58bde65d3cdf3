"""The one error type for bad settings and config files."""


class ConfigError(Exception):
    """A setting or config file is missing or invalid; the message is one line for the operator."""
