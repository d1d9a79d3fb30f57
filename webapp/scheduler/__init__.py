"""Automatic matching runs: weekly and after new companies enter the program.

`jobs` holds what runs (plain functions of an engine and a clock, testable directly),
`settings` the coordinator's settings and the next run times, and `service` the APScheduler
process that fires the jobs. The scheduler runs in one process of its own
(`flask --app webapp scheduler run`), never inside web workers.
"""
