"""The channel and provider framework of Notifier.

Nothing in this package imports the Django apps: it defines what a channel and
a provider are, the delivery state machine and the retry schedule, so that the
apps and any plugin can share them.
"""
