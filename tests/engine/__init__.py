"""Tests of policy/engine."""
