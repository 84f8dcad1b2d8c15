"""The moments a reporting period covers (`motcua.dossiers.statistics.period_bounds`, shared with the reports)."""

from motcua.dossiers.statistics import period_bounds

__all__ = ["period_bounds"]
