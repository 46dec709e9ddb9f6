"""Plain data every stage passes on: credentials, findings, breaches, priorities, review items, errors.

This package imports nothing else of pwcheck, so every other package may import it and
no import circle can run through it. Its classes hold data and answer questions about
that data (is this entry a finding? which exit code does this report earn?); fetching,
parsing and rendering live in the stages that do them.
"""
