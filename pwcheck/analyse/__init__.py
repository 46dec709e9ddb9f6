"""From checked credentials to findings: contact domains and the audit's result model."""
