"""The use cases: each changes the record in one transaction and returns data; Slack is called
outside transactions."""
