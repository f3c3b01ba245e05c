"""propose.py: sentences, signals, ranking; measured against the default brief's claims on the seed article."""

from __future__ import annotations

from pathlib import Path

import yaml

from briefgen.markdown import parse_article, plain_text
from briefgen.propose import Candidate, claim_id, detect_language, propose, score, sentence_spans
from briefgen.quotes import find, normalise
from briefgen.scaffold import text_to_markdown

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds/000_87f9bf6137a3843a.txt"
ENGLISH = Path(__file__).resolve().parent / "fixtures/articles/harbour-report.txt"
DEFAULT_NOTES = ROOT / "content/dagsavisen-2022-09-10-kharkiv/notes.yaml"


def blocks_of(path: Path) -> list[str]:
    return list(parse_article(text_to_markdown(path.read_text("utf-8"))).blocks)


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_sentences_survive_abbreviations_initials_and_norwegian_ordinals() -> None:
    text = "Dr. A. Smith came on 10. september kl. 14. He left in 2008. Then, e.g. Mr. Brown spoke."
    assert sentences(text) == [
        "Dr. A. Smith came on 10. september kl. 14.",
        "He left in 2008.",
        "Then, e.g. Mr. Brown spoke.",
    ]


def test_dialogue_dashes_are_dropped_and_quote_marks_kept_only_when_closed() -> None:
    assert sentences("– Vi kommer, sa hun. «Nei», sa han.") == ["Vi kommer, sa hun.", "«Nei», sa han."]
    assert sentences('He said: "We won. All of it." Then he left.')[-1] == "Then he left."


def test_signals_in_english_and_norwegian() -> None:
    points, reasons = score("The ministry said on Monday that 43 tanks were captured.", "en")
    assert {r.split(":")[0] for r in reasons} >= {"number", "date", "reported speech", "body"}
    nb_points, nb_reasons = score("Ifølge SBU har Izium vært under russisk kontroll i fem måneder.", "nb")
    kinds = {r.split(":")[0] for r in nb_reasons}
    assert {"number", "duration", "reported speech", "name"} <= kinds
    assert points >= 6 and nb_points >= 6
    assert score("Residents are unhappy.", "en")[0] < 2
    assert (
        score("Did the council approve 4 million euros on Monday?", "en")[0]
        < score("The council approved 4 million euros on Monday.", "en")[0]
    )


def test_the_first_word_of_a_sentence_is_no_name_but_an_acronym_is() -> None:
    _, reasons = score("Izium fell. CNN reported that Kupjansk was taken by Ukraine.", "en")
    names = next(r for r in reasons if r.startswith("name:"))
    assert "Izium" not in names and "CNN" in names and "Kupjansk" in names


def test_language_is_detected_from_function_words() -> None:
    assert detect_language(" ".join(blocks_of(SEED))) == "nb"
    assert detect_language(" ".join(blocks_of(ENGLISH))) == "en"
    assert detect_language("Izium Kupjansk 43") is None


def test_claim_ids_are_kebab_ascii_and_unique() -> None:
    first = claim_id("Lørdag ble det også meldt at ukrainske styrker har rykket inn i Kupjansk.")
    assert first == "lordag-ogsa-meldt-ukrainske"
    assert claim_id("Lørdag ble det også meldt at ukrainske styrker", {first}) == f"{first}-2"
    assert claim_id("?!") == "claim"


def test_english_fixture_proposals_are_ranked_and_skip_questions_teasers_and_boilerplate() -> None:
    candidates = propose(blocks_of(ENGLISH))
    quotes = [c.quote for c in candidates]
    assert quotes[0].startswith("The harbour authority said on Monday")
    assert "According to the council's own figures, the project will cost 2.3 million euros." in quotes
    assert '"We handled more than 40,000 containers," she said.' in quotes
    assert not [q for q in quotes if "?" in q or "newsletter" in q or q == "Residents are unhappy."]
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)


def test_every_proposed_quote_is_found_verbatim_in_its_paragraph() -> None:
    for path in (SEED, ENGLISH):
        blocks = blocks_of(path)
        for candidate in propose(blocks):
            assert blocks[candidate.block][candidate.start : candidate.end] == candidate.quote
            match = find(plain_text(candidate.quote), blocks)
            assert match is not None and match.block == candidate.block, candidate.quote


def coverage(candidates: list[Candidate], quotes: dict[str, str]) -> dict[str, int | None]:
    """For each claim id: the rank of the first proposal containing its quote (None: not proposed)."""
    ranks: dict[str, int | None] = {}
    for claim, quote in quotes.items():
        needle = normalise(plain_text(quote)).text
        ranks[claim] = next(
            (rank for rank, c in enumerate(candidates, 1) if needle in normalise(c.quote).text),
            None,
        )
    return ranks


def test_seed_article_proposals_cover_the_default_briefs_claims() -> None:
    """The measurement reported in the README: recall of the default brief's claims among the proposals."""
    claims = yaml.safe_load(DEFAULT_NOTES.read_text("utf-8"))["claims"]
    quotes = {c["id"]: c["quote"] for c in claims}
    candidates = propose(blocks_of(SEED))
    ranks = coverage(candidates, quotes)
    covered = [claim for claim, rank in ranks.items() if rank]
    useful = {rank for rank in ranks.values() if rank}
    print(f"\n{len(candidates)} proposals; {len(covered)}/{len(quotes)} default-brief claims covered (recall)")
    print(f"{len(useful)}/{len(candidates)} proposals contain at least one of those claims")
    for claim, rank in ranks.items():
        print(f"  {'rank ' + str(rank) if rank else 'MISSED':>8}  {claim}")
    assert len(covered) / len(quotes) >= 0.85, ranks
    every = [s for block in blocks_of(SEED) for s in sentences(block)]
    assert len(candidates) <= len(every) - 8  # not simply every sentence: no headings, teasers, newsletter
    assert not [c.quote for c in candidates if c.quote.startswith("[") or "nyhetsbrev" in c.quote]
    assert not [c.quote for c in candidates if c.quote in ("Rask framrykking", "Desperasjon", "Kuttet forsyningslinje")]
