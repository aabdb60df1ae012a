"""The case list and the case page: one screen over every part of the process (sourcing, dossier, decisions,
probation), so it sits above them all."""
