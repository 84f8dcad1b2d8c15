"""A page's `{% block title %}` holds the title text only: no HTML, no included template, no form. (The reform
pages once put their "create" forms inside the title block, so the browser showed them nowhere.)"""

from pathlib import Path

from django.template import engines
from django.template.base import TextNode
from django.template.loader_tags import BlockNode, IncludeNode

import motcua

ALLOWED = {"TranslateNode", "BlockTranslateNode", "VariableNode", "TextNode"}


def _templates():
    root = Path(motcua.__file__).parent
    for path in sorted(root.glob("**/templates/**/*.html")):
        parts = path.relative_to(root).parts
        yield "/".join(parts[parts.index("templates") + 1 :])


def _title_blocks(nodelist):
    for node in nodelist:
        if isinstance(node, BlockNode) and node.name == "title":
            yield node
        for attr in getattr(node, "child_nodelists", ()):
            yield from _title_blocks(getattr(node, attr, None) or [])


def _problems(block) -> list[str]:
    problems = []
    for node in block.nodelist:
        kind = type(node).__name__
        if isinstance(node, IncludeNode) or kind not in ALLOWED:
            problems.append(f"thẻ {kind}")
        if isinstance(node, TextNode) and ("<" in node.s or ">" in node.s or "\n" in node.s):
            problems.append(f"văn bản {node.s!r}")
    return problems


def test_no_template_puts_tags_inside_title():
    engine = engines["django"].engine
    found, bad = 0, {}
    for name in _templates():
        template = engine.get_template(name)
        for block in _title_blocks(template.nodelist):
            found += 1
            problems = _problems(block)
            if problems:
                bad[name] = problems
    assert found > 30, "the scan must see the pages' title blocks"
    assert bad == {}


def test_the_check_catches_a_form_inside_the_title():
    engine = engines["django"].engine
    template = engine.from_string(
        '{% load i18n %}{% block title %}{% translate "Nhiệm vụ" %}{% if x %}'
        '<form method="post"><button>Lưu</button></form>{% endif %}{% endblock %}'
    )
    block = next(_title_blocks(template.nodelist))
    assert _problems(block)
