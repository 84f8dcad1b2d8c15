"""The statistics table of the desk: moved to `motcua.dossiers.statistics` (the reports' periodic forms read the
same table, and the desk and the reports may not import each other); re-exported here for the desk."""

from motcua.dossiers.statistics import GROUP_KEYS, STAT_COLUMNS, STAT_KEYS, StatisticsTable, StatRow, statistics_table

__all__ = ["GROUP_KEYS", "STAT_COLUMNS", "STAT_KEYS", "StatRow", "StatisticsTable", "statistics_table"]
