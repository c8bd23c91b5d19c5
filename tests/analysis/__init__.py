"""Tests of policy/analysis."""
