"""Benchmarks: ``python -m benchmarks`` measures every speed target against its floor."""
