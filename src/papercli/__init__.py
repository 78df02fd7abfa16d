"""papercli: a typed catalog of research-paper reading notes, and the `papers` command."""

__version__ = "0.1.0"
