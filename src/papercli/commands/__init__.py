"""The `papers` commands, one module per command or small family. Each module holds the Typer-facing
function: it parses options, calls the core and hands the result to a renderer or exporter. `cli.py`
imports a module only when its command runs."""
