"""Claim-rebuttal reports: the data (``model``) and its renderers (``markdown``, ``html``).

The terminal renderer lives in the CLI layer (``factdb.cli.report_text``) because it uses rich.
"""
