"""viewflow proxy Process models live here (one per flow), linked to domain records through `artifact`."""
