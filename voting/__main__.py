"""`python -m voting ...` is the `voting` command (how `voting run` starts its worker child)."""
from voting.cli import main

main(prog_name="voting")
