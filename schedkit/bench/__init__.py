"""The benchmark harness: suites, isolated runs, an append-only result store, reports."""
