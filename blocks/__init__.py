"""Block Kit: pure builders returning dicts, and every Slack id the app uses."""
