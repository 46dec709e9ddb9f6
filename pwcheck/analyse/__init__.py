"""Pure functions of the entries: contacts, breaches per contact, stale verdicts, reuse, priorities.

No I/O and no presentation: what goes in is the collected credentials, their counts and
the public data fetched for the run; what comes out is the report's entries and ranking.
"""
