"""Settings and the operator-editable data files of the bot."""
