"""Tests of the command line (cli.py) and cross-cutting behaviour."""
