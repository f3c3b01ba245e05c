"""parse_yaml's fast construction builds exactly what the full located loader builds, or leaves the file to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.sources import LocatedDict, LocatedList, SourceError, _fast_load, _loader_for, _Unusual, parse_yaml

ROOT = Path(__file__).resolve().parent.parent


def _full(text: str, display: str = "n.yaml", line_offset: int = 0) -> Any:
    return yaml.load(text, Loader=_loader_for(display, line_offset))


def _shape(value: Any) -> Any:
    """The value with every location it carries, for comparing two loads exactly."""
    if isinstance(value, LocatedDict):
        return (
            "map",
            value.location,
            [(k, value.key_locations[k], value.value_locations[k], _shape(v)) for k, v in value.items()],
        )
    if isinstance(value, LocatedList):
        return ("seq", value.location, value.item_locations, [_shape(v) for v in value])
    return (type(value).__name__, value)


def _unusual(text: str, display: str, line_offset: int) -> Any:
    raise _Unusual


def _outcome(text: str, fast: bool = True) -> Any:
    """What parse_yaml gives: the values with their locations, or the error; fast=False: the full loader only."""
    with mock.patch("briefgen.sources._fast_load", _fast_load if fast else _unusual):
        try:
            return ("ok", _shape(parse_yaml(text, "n.yaml")))
        except SourceError as exc:
            return ("error", str(exc.location), exc.message, exc.hint)


SAMPLES = [
    "title: x\nclaims:\n  - id: a\n    sources: []\n",
    "published: 2022-09-10\nupdated: 2022-13-45\nwhen: 2022-09-10 10:00:00\n",
    "n: 12\nhex: 0x1F\nbig: " + "9" * 5000 + "\nf: 1.5\ninf: .inf\nt: true\nf2: off\nnothing: ~\nempty:\n",
    "a: 1\nb: 2\na: 3\n",  # duplicate key
    "a: &x [1, 2]\nb: *x\n",  # alias
    "a: &x v\nb: *x\n",  # alias of a scalar
    "<<: {a: 1}\nb: 2\n",  # merge key
    "true: 1\n2: two\n2022-01-01: d\n1.5: f\n",  # keys that are not text
    "? [a, b]\n: v\n",  # a list as a key
    "~: v\n",  # null key
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\n",  # tags the full loader knows
    "a: !custom x\n",  # an unknown tag
    "a: !!str {b: 1}\n",  # a tag on the wrong kind of node
    "a: !!str 12\nb: !!int '7'\n",  # explicit tags on scalars
    "a: 1\n\tb: 2\n",  # a tab
    "a: [1, 2\n",  # unclosed
    "---\na: 1\n---\nb: 2\n",  # two documents
    "",  # empty
    "- a\n- [b, {c: d}]\n- {e: [f]}\n",
    "x: " + "[" * 40 + "]" * 40 + "\n",  # deeper than the fast path goes
    'a: "tab\\tand \\u00e9"\nb: |\n  block\n  text\nc: >\n  folded\n  text\n',
]


@pytest.mark.parametrize("text", SAMPLES)
def test_parse_yaml_matches_the_full_loader(text: str) -> None:
    assert _outcome(text) == _outcome(text, fast=False)


def test_the_fast_path_takes_ordinary_notes_and_front_matter() -> None:
    notes = ROOT / "content/dagsavisen-2022-09-10-kharkiv/notes.yaml"
    for text in (notes.read_text("utf-8"), SAMPLES[0], SAMPLES[1], SAMPLES[2]):
        assert _shape(_fast_load(text, "n.yaml", 0)) == _shape(_full(text))
    assert _shape(_fast_load(SAMPLES[0], "a.md", 1)) == _shape(_full(SAMPLES[0], "a.md", 1))  # front matter offset


@pytest.mark.parametrize("text", [SAMPLES[i] for i in (3, 4, 5, 6, 7, 10, 11, 19)])
def test_the_fast_path_leaves_the_unusual_to_the_full_loader(text: str) -> None:
    with pytest.raises(_Unusual):
        _fast_load(text, "n.yaml", 0)


_scalar = st.one_of(
    st.text(alphabet="ab1:-#&*!?[]{}'\" \n.~", max_size=8),
    st.sampled_from(["true", "no", "~", "12", "0x1f", "1e3", "2022-02-30", "2022-02-03", ".nan", "&a x", "*a"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "id", "1", "true", "<<"]), _scalar), max_size=5))
def test_parse_yaml_matches_the_full_loader_on_generated_mappings(pairs: list[tuple[str, str]]) -> None:
    text = "".join(f"{key}: {value}\n" for key, value in pairs) + "list:\n" + "".join(f"  - {v}\n" for _, v in pairs)
    assert _outcome(text) == _outcome(text, fast=False)


def test_an_ordered_map_written_as_a_list_is_refused_at_its_place() -> None:
    with pytest.raises(SourceError) as raised:  # not a TypeError from the located constructor
        parse_yaml("title: x\ntags: !!omap [a: 1]\n", "notes.yaml")
    assert (raised.value.location.line, raised.value.location.column) == (2, 7)
    assert raised.value.message == "YAML tag '!!omap' is not supported"
    # !!pairs gives a list of pairs, which the loader then reports as not a list of text
    assert parse_yaml("title: x\ntags: !!pairs [a: 1]\n", "notes.yaml")["tags"] == [("a", 1)]
