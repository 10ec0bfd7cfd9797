"""Tools shared by the browser tests (tests/e2e) and the benchmarks (bench/): no pytest here."""
