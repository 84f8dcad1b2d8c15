"""Import and export of the catalog, one module per format and direction:

- xlsx_columns: the XLSX file's columns (documented in docs/catalog.md) and the row a version writes;
- xlsx_export: the procedures in force, one row each, and the empty template;
- xlsx_import: all or nothing, with a row-by-row report in Vietnamese of every error;
- json_export, json_import: the whole catalog (fields, every version, decisions) for moving it between
  agencies or environments.

Both imports refuse a file with ImportRejected, defined here."""

from motcua.core.errors import ApplicationError


class ImportRejected(ApplicationError):
    """The file has errors; nothing was changed. `errors` is a list of (row, column, message)."""

    status_code = 400
    code = "import_rejected"

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors
        super().__init__(
            f"Tệp có {len(errors)} lỗi; danh mục không thay đổi.",
            fields={"rows": [f"Dòng {r}, cột “{c}”: {m}" for r, c, m in errors]},
        )
