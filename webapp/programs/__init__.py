"""The program year before the engagements: cohorts, applications, eligibility, inspections,
the evaluation committee, selection and the funnel (see docs/programs.md)."""


def blueprints() -> tuple:
    """This package's blueprints, for the app factory."""
    from webapp.programs import coordinator_views, evaluator_views, mentor_views, public_views

    return (public_views.bp, coordinator_views.bp, mentor_views.bp, evaluator_views.bp)
