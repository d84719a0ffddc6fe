"""`python -m schedkit` is the `schedkit` command."""

from schedkit.cli import main

main()
