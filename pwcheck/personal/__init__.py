"""What belongs to one person's audits: ignore rules, the `--new` review and its state, notifications, wiping exports."""
