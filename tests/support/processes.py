"""Waiting for the app's own processes in tests."""

# SIGTERM stops a scheduler gracefully: the job in progress finishes first (a solver within its
# time limit, a batch of emails), which on a busy 2-core machine takes tens of seconds. A wait,
# not a timing check.
GRACEFUL_STOP_SECONDS = 120
