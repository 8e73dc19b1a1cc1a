"""Helpers shared by the browser tests and the benchmarks (no app logic)."""
