"""Have I Been Pwned's public breach data: the catalogue (fetched, cached, parsed) and keyed account checks.

Nothing about the user is sent for the catalogue: it is the same list for everyone.
Account checks send e-mail usernames, and only when the user stored an API key.
"""
