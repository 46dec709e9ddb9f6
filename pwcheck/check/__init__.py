"""How often each password digest appears in Pwned Passwords: the range API or a local store.

Every checker implements `interface.HashChecker`; `choice.CheckerChoice` builds the one
the flags ask for, and `run.check` runs it over a run's digests. A digest that could not
be checked stays None, never 0.
"""
