"""The Slack adapter: the Web API client and its retries, the channel guard, alerts to chairs,
the chairs' directory, the durable intake and Socket Mode."""
