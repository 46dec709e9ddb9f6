"""`python -m pwcheck` runs the same command line as the `pwcheck` script."""

from pwcheck.cli.main import run

if __name__ == "__main__":
    run()
