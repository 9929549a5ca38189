"""The `tsunagari` command line: one module per group of subcommands."""
