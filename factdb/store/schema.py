"""The schema revision this code expects (kept equal to Alembic's head by a test), so the
start-up check needs no Alembic import."""

HEAD_REVISION = "0004"
