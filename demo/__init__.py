"""A briefing week on this machine with no Slack workspace: `python -m bot demo`.

stage (stand-in, database, the real app over HTTP), slack_requests (signed requests as Slack
sends them), cast and script (the people and what they do), scene (their actions), transcript
(what the bot posted, as text) and week (the simulated week and its scheduled jobs).
"""

from demo.week import DemoOptions, DemoResult, run_demo

__all__ = ["DemoOptions", "DemoResult", "run_demo"]
