"""`python -m evalanalysis`: the same as the `evalanalysis` command."""

from .cli import main

main()
