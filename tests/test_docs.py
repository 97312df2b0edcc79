"""The README's data-format tables are generated from flowmodel.schema and must match it."""

from pathlib import Path

from flowmodel.docs import END, START, schema_section, sync

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_schema_tables_match_schema():
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text
    section = text[text.index(START): text.index(END) + len(END)]
    assert section == schema_section(), "run: python -m flowmodel.docs README.md"


def test_sync_replaces_only_the_section():
    text = f"before\n{START}\nold\n{END}\nafter\n"
    out = sync(text)
    assert out.startswith("before\n") and out.endswith("\nafter\n")
    assert "| `capacity` |" in out and "old" not in out


def test_readme_results_tables_match_the_code():
    """The headline tables in the README are what the shipped scenarios give now."""
    from flowmodel.docs import REND, RSTART, results_section

    text = README.read_text(encoding="utf-8")
    section = text[text.index(RSTART): text.index(REND) + len(REND)]
    assert section == results_section(README.parent), "run: python -m flowmodel.docs README.md"
