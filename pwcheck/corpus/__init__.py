"""A local copy of Pwned Passwords: built from the downloader's files, mirrored from a range API, served to a team.

The store's format and reader are in `pwcheck.check` (`store_format`, `store`): checking
reads stores, this package writes and publishes them.
"""
