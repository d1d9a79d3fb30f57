"""The program year before the engagements: cohorts, applications, eligibility, inspections,
the evaluation committee, selection and the funnel (see docs/programs.md)."""
