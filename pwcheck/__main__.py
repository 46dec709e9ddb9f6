"""`python -m pwcheck` runs the same command line as the `pwcheck` script."""

from pwcheck.cli import run

if __name__ == "__main__":
    run()
