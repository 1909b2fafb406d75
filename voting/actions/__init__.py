"""Use cases and their transaction boundaries, shared by the web app, the worker and the CLI."""
