"""The stages of a factdb JSON Lines import, in the order ``factdb.interchange.jsonl`` runs
them over one shared ``state.Job``: ``read`` (check each line, spool what later stages
need), ``resolve`` (names and ``responds_to`` against the file and the database),
``checks`` (the domain rules of ``factdb.rules`` across records), ``plan`` (what already
exists, whether it agrees, what is new) and ``write`` (batches through
``factdb.interchange.bulk``)."""
