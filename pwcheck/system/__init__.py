"""The machine pwcheck runs on: its directories, private files, hardening, keychain, logging, console, registries."""
