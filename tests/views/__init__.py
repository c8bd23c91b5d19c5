"""Tests of policy/views."""
