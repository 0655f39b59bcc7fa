"""City-scale benchmark (issue 10): dataset builder, scenarios and the `make bench` harness."""
