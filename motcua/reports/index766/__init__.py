"""The Decision 766/QĐ-TTg (2022) index: five groups of indicators, each a named rule over records
(rules.py), weights and thresholds in data with a version in force per period (models.py), computed by
engine.py. See docs/index766.md."""
