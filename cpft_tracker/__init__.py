"""cpft-tracker: turn a CQC report's must/needs requirements into a tracked improvement action plan."""

__version__ = "0.1.0"
