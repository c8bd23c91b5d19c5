"""Tests of policy/inputs."""
