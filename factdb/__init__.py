"""factdb: a fact-tracking database for diplomatic claims."""

__version__ = "0.1.0"
