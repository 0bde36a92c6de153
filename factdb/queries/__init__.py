"""Reading the record: lookups, filters, roll-up, listings, search, positions, status."""
