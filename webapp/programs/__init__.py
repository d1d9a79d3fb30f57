"""Program years (cohorts) and their tracks; applications, eligibility, inspections and
selection land here."""
