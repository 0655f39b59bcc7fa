"""City-scale benchmark (bench/README.md): dataset builder, scenarios and the `make bench` harness."""
