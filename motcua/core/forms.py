"""Form fields shared by the apps' forms."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (`<input type="file" multiple>`): cleans to a list, each file checked as a
    FileField checks one; optional unless required=True is given."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


# --- long selects --------------------------------------------------------------------------------------------
# A <select> of thousands of options (every procedure of the province on the PAKN form) costs a quarter of a
# second through Django's option templates on every page; written in Python once and reused it costs a copy.


def options_html(choices, selected: str | None = None) -> str:
    """<option> elements of (value, label) pairs, every value and label escaped; `selected` marked (None: none)."""
    return "".join(
        f'<option value="{escape(value)}"{" selected" if str(value) == selected else ""}>{escape(label)}</option>'
        for value, label in choices
    )


def select_options(options: str, selected: str) -> str:
    """Options made by options_html with `selected` marked: one replace, not every option written again."""
    if selected:
        mark = f'<option value="{escape(selected)}">'
        options = options.replace(mark, mark[:-1] + " selected>", 1)
    return mark_safe(options)  # noqa: S308 - escaped by options_html


@dataclass(frozen=True)
class PreparedChoices:
    """The choices of a long select as the set of valid values and their <option> elements (options_html):
    what a cache keeps, so neither the query nor the writing of the options runs on every request."""

    values: frozenset[str]
    options: str

    @classmethod
    def of(cls, choices) -> PreparedChoices:
        choices = list(choices)
        return cls(frozenset(str(value) for value, _ in choices), options_html(choices))


class PreparedSelect(forms.Select):
    """A <select> whose options are PreparedChoices.options (set by PreparedChoiceField.prepare)."""

    options = ""

    def render(self, name, value, attrs=None, renderer=None):
        value = value[0] if isinstance(value, (list, tuple)) and value else value
        final = self.build_attrs(self.attrs, attrs)
        options = select_options(self.options, "" if value is None else str(value))
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final)}>{options}</select>')  # noqa: S308 - escaped


class PreparedChoiceField(forms.ChoiceField):
    """A ChoiceField over PreparedChoices: valid when the value is one of `values`, rendered from `options`.
    Call `prepare(choices)` on the form's own field (in the form's __init__) before it validates or renders."""

    widget = PreparedSelect
    prepared_values: frozenset[str] = frozenset()

    def prepare(self, choices: PreparedChoices) -> None:
        self.prepared_values = choices.values
        self.widget.options = choices.options

    def valid_value(self, value) -> bool:
        return str(value) in self.prepared_values
