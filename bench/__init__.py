"""Benchmarks and the synthetic report corpus (bench.synth) they and the property tests use."""
