"""`python -m pwcheck` runs the same command line as the `pwcheck` script."""

from pwcheck.cli import main

if __name__ == "__main__":
    main()
