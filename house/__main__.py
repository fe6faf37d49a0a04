"""`python -m house ...` is the `house` command."""

from house.cli import main

main()
