"""Benchmarks and the fuzzer (``python -m bench.fuzz``)."""
