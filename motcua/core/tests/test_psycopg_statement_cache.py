"""The PostgreSQL backend widens psycopg's cache of parsed statements (motcua/core/postgresql/base.py)
through a constant psycopg keeps private: if an upgrade renames or drops it, this fails instead of the
intake silently parsing its combined statements again on every execution."""

from psycopg import _queries

import motcua.core.postgresql.base  # noqa: F401 - importing the backend sets the limit


def test_psycopg_still_reads_the_parameter_limit_of_its_statement_cache():
    assert _queries.MAX_CACHED_STATEMENT_PARAMS == 512
    source = open(_queries.__file__, encoding="utf-8").read()
    assert "len(vars) <= MAX_CACHED_STATEMENT_PARAMS" in source  # the limit is read where it is checked
