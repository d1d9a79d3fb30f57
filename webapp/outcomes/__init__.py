"""Outcomes of the engagements: KPI sheets (baseline, locked target, actual; change requests),
improvement tasks with before / after photos, completion and sign-off, surveys, the completion
report, the province's dashboard and its exports."""
