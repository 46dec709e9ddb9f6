"""The `pwcheck` command line: every click object, and nothing else.

`main.py` is the group and the process entry point; one module per command or command
group; `options.py` defines each shared option once; `group.py` turns every pwcheck error
into its one line and exit code, in one place. Heavy modules (httpx, rich, tldextract, a
reader's parser) are imported inside the commands, so `pwcheck --help` starts fast.
"""
