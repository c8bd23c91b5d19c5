"""Tests of policy/tools."""
