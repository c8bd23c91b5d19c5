"""Tests of the HTTP service and the applicant page (policy/web)."""
