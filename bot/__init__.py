"""Wiring: the Bolt app, the scheduler, the run modes and the command line."""
