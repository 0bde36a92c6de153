"""Writing the record: actors, statements, sources, topics, merges, the audit trail."""
