"""The database underneath: tables, models, engines, sessions, migrations, upkeep."""
