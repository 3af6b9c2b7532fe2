"""Local provider sinks for development and tests: an SMTP server and an HTTP sandbox."""
