"""Test rig: local fakes of the outside services the bot talks to."""
