"""Tests of the Close-compatible sandbox server."""
