"""Tests of policy/lang."""
