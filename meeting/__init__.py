"""The rules of the meeting: plain functions that take a session and `now`, knowing no Slack."""
