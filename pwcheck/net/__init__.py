"""Network plumbing shared by every request: client setup, retry policy, default URLs."""
