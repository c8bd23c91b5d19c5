"""Tests of policy/decide."""
