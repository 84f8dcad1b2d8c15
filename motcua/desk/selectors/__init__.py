"""Reads of the desk, one module per subject: slips (what a dossier's slips print), access (who sees a dossier
and at which agency's desk a user works), worklists (the officers' queues, the home page's counts, the leaders'
view of their units' load), book (the tracking book BM.06), statistics (the statistics table) and periods
(the dates a period covers).

Dossiers are read (never written) through the dossiers app's models. Every figure here is a query over
records, so it can be recomputed and checked (tests do exactly that)."""
