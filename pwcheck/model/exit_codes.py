"""Every exit code pwcheck returns, in one place (as pip's `cli/status_codes.py`).

Scripts read these, so their meaning never changes: 0 means every credential of every
source was read and checked and none is a finding; 1 means findings and nothing else;
2 an input or usage error; 3 something could not be checked. A report earns its code in
`AuditReport.exit_code`; an exception carries its own (`PwcheckError.exit_code`); the
command line turns both into the process's status in `pwcheck/cli/group.py`.
"""

EXIT_CLEAN = 0
EXIT_FOUND = 1
EXIT_INPUT_ERROR = 2
EXIT_NOT_CHECKED = 3
EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT
