"""Candidate claims: which sentences of an article carry check-worthy content, ranked. Pure functions.

A sentence scores for what a fact-checker can verify: numbers and quantities, dates and durations,
named people and bodies, reported speech ("said", "according to", "sier", "ifølge", "hevdet"),
comparisons and causal links. Norwegian (Bokmål) and English are recognised; the article's language
is guessed from its function words. Each candidate's quote is an exact slice of the article's text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

LANGUAGES = ("en", "nb")


@dataclass(frozen=True)
class Lexicon:
    """The words that signal check-worthy content in one language (lower case, regex alternatives)."""

    function_words: frozenset[str]
    number_words: tuple[str, ...]
    time_words: tuple[str, ...]
    duration_units: tuple[str, ...]
    speech: tuple[str, ...]
    hearsay: tuple[str, ...]
    bodies: tuple[str, ...]
    quantities: tuple[str, ...]
    comparisons: tuple[str, ...]
    causal: tuple[str, ...]
    partitive: str  # a sentence starting like this depends on the one before ("Of these, 31 …")
    boilerplate: tuple[str, ...]


def _w(words: str) -> tuple[str, ...]:
    """Space-separated alternatives (each may be a small regex, e.g. 'months?'; '_' stands for a space)."""
    return tuple(word.replace("_", " ") for word in words.split())


ENGLISH = Lexicon(
    function_words=frozenset(_w("the and of to is that was with it as by are were has have an be this not which")),
    number_words=_w(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
        "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million "
        "millions billion billions trillion dozen half quarter"
    ),
    time_words=_w(
        "monday tuesday wednesday thursday friday saturday sunday january february march april june july "
        "august september october november december yesterday today tonight weekend last_(?:week|month|year) "
        "this_(?:week|month|year) earlier_this"
    ),
    duration_units=_w("seconds? minutes? hours? days? weeks? months? years? decades? centur(?:y|ies)"),
    speech=_w(
        "said says told tells according_to claimed claims stated announced reported reports confirmed denied "
        "insisted wrote warned estimated statement testified admitted"
    ),
    hearsay=_w("allegedly reportedly apparently (?:is|are)_said_to purportedly"),
    bodies=_w(
        "ministry minister department government president parliament council agency office police army forces "
        "troops court institute university spokes(?:man|woman|person) officer officials? advis[eo]r mayor "
        "committee commission bureau service media company authorit(?:y|ies)"
    ),
    quantities=_w("many most majority dozens hundreds thousands millions a_number_of a_series_of"),
    comparisons=_w(
        "(?:larg|bigg|high|low|great|small|wors|b|long|short|dead|old|young)est least more_than less_than "
        "fewer_than record first only never always twice doubled halved increased decreased fell rose"
    ),
    causal=_w("because due_to led_to caused means_that resulted_in as_a_result"),
    partitive=r"(?:of|among) (?:these|those|them|which)\b",
    boilerplate=_w("newsletter subscribe sign_up read_more read_also follow_us all_rights_reserved"),
)

NORWEGIAN = Lexicon(
    function_words=frozenset(_w("og det er som på ikke har av til med et den de om vil var ble seg fra men også")),
    number_words=_w(
        "to tre fire fem seks sju syv åtte ni ti elleve tolv tretten fjorten femten seksten sytten atten nitten "
        "tjue tretti førti femti seksti sytti åtti nitti hundre tusen million millioner milliard milliarder "
        "dusin halvparten"
    ),
    time_words=_w(
        "mandag tirsdag onsdag torsdag fredag lørdag søndag januar februar mars april mai juni juli august "
        "september oktober november desember i_går i_dag i_fjor i_år i_morgen helgen forrige_(?:uke|måned) "
        "tidligere_i_(?:år|uken|måneden|krigen)"
    ),
    duration_units=_w("sekund(?:er)? minutt(?:er)? timer? døgn dag(?:er)? uker? måned(?:er)? år tiår"),
    speech=_w(
        "sier sa sagt ifølge hevdet hevder uttalte uttaler uttalelse opplyser opplyste melder meldte meldt "
        "meldinger meldingen bekreftet bekrefter skriver skrev heter_det anslår anslo advarer kunngjorde påstår "
        "forteller fortalte innrømmet innrømmelsen"
    ),
    hearsay=_w("angivelig skal_ha skal_være visstnok etter_sigende"),
    bodies=_w(
        r"\w*departement\w* \w*tjeneste[nr]? \w*direktorat\w* \w*institutt\w* \w*etaten regjering(?:en)? "
        "president(?:en)? statsminister(?:en)? minister(?:en)? stortinget kommunen politiet hæren "
        "styrke(?:r|ne|nes) tropper soldater retten universitet(?:et)? talsperson(?:en)? offiser(?:en)? "
        "rådgiver(?:en)? ordfører(?:en)? byrå(?:et)? tankesmi[ae] medier myndighet(?:ene|er)?"
    ),
    quantities=_w("mange flere flertall(?:et)? store_mengder dusinvis hundrevis tusenvis en_rekke"),
    comparisons=_w(
        "(?:stør|høye|lave|be|ver|min|eld|yng|leng|kort)ste flest mest mer_enn mindre_enn flere_enn rekord "
        "første eneste aldri alltid doblet halvert økte falt steg"
    ),
    causal=_w("fordi på_grunn_av førte_til betyr_det_at betyr_at som_følge_av skyldes"),
    partitive=r"(?:av|blant) (?:disse|dem|dette)\b",
    boilerplate=_w("nyhetsbrev abonner hold_deg_oppdatert les_også les_mer følg_oss"),
)

LEXICONS = {"en": ENGLISH, "nb": NORWEGIAN}

WEIGHTS = {
    "number": 2,
    "date": 2,
    "duration": 1,
    "reported speech": 2,
    "hearsay": 1,
    "body": 1,
    "name": 1,
    "quantity": 1,
    "comparison": 1,
    "causal": 1,
}
MAX_NAMES = 3
MIN_WORDS = 5


@dataclass(frozen=True)
class Candidate:
    """A sentence proposed as a claim: its exact text, where it stands, its score and why."""

    quote: str
    block: int  # index of the paragraph in the article
    start: int  # [start, end) of the quote in that paragraph's text
    end: int
    score: int
    reasons: tuple[str, ...]


def detect_language(text: str) -> str | None:
    """'nb' or 'en' by counting function words; None when the text has too few of either to tell."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    counts = {name: sum(1 for w in words if w in lexicon.function_words) for name, lexicon in LEXICONS.items()}
    best = max(counts, key=lambda name: counts[name])
    if counts[best] < 3 or counts[best] < 2 * min(counts.values()):
        return None
    return best


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "nr",
        "vs",
        "etc",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "gen",
        "col",
        "lt",
        "sgt",
        "rep",
        "sen",
        "gov",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "ca",
        "kl",
        "jf",
        "bl",
        "mv",
        "osv",
        "ds",
        "dvs",
        "pga",
        "mht",
        "nb",
        "evt",
        "tlf",
        "e.g",
        "i.e",
        "bl.a",
        "f.eks",
        "m.m",
        "o.l",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"”»’')\]]*(?=\s+[\"“«‘'(\[–—-]?\s*[A-ZÆØÅÄÖÜÉ])")
_LEADING = re.compile(r"^[\s\"“«‘'–—-]+")
_UPPER_START = "A-ZÆØÅÄÖÜÉ"
_CLOSING = {'"': '"', "“": "”", "«": "»", "‘": "’", "'": "'"}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence of a paragraph; abbreviations, initials and ordinals do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        token = re.search(r"(\S+)$", text[start : match.start()])
        word = token.group(1).lower().rstrip(".") if token else ""
        if word in _ABBREVIATIONS or re.fullmatch(rf"[{_UPPER_START.lower()}a-z]", word):
            continue
        spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading whitespace and dialogue dashes, an opening quote mark that is never closed, trailing space."""
    lead = _LEADING.match(text[start:end])
    if lead and text[start + lead.end() : end].strip():
        skipped = lead.group()
        opening = next((c for c in reversed(skipped) if c in _CLOSING), "")
        if opening and _CLOSING[opening] in text[start + lead.end() : end]:
            skipped = skipped[: skipped.rindex(opening)]
        start += len(skipped)
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _alternatives(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Patterns:
    number: re.Pattern[str]
    time: re.Pattern[str]
    duration: re.Pattern[str]
    speech: re.Pattern[str]
    hearsay: re.Pattern[str]
    bodies: re.Pattern[str]
    quantities: re.Pattern[str]
    comparisons: re.Pattern[str]
    causal: re.Pattern[str]
    partitive: re.Pattern[str]
    boilerplate: re.Pattern[str]


def _patterns(lexicon: Lexicon) -> _Patterns:
    number = r"\d[\d.,\u00a0\u202f]*\d|\d|" + "|".join(lexicon.number_words)
    return _Patterns(
        number=re.compile(rf"(?<!\w)(?:{number})(?:\s*(?:%|percent|per cent|prosent))?(?!\w)", re.IGNORECASE),
        time=_alternatives(lexicon.time_words),
        duration=re.compile(
            rf"(?<!\w)(?:{number})\s+(?:\w+\s+)?(?:{'|'.join(lexicon.duration_units)})(?!\w)", re.IGNORECASE
        ),
        speech=_alternatives(lexicon.speech),
        hearsay=_alternatives(lexicon.hearsay),
        bodies=_alternatives(lexicon.bodies),
        quantities=_alternatives(lexicon.quantities),
        comparisons=_alternatives(lexicon.comparisons),
        causal=_alternatives(lexicon.causal),
        partitive=re.compile(lexicon.partitive, re.IGNORECASE),
        boilerplate=_alternatives(lexicon.boilerplate),
    )


_PATTERNS = {name: _patterns(lexicon) for name, lexicon in LEXICONS.items()}
_WORD = re.compile(r"[^\W_][\w'’-]*")
_ACRONYM = re.compile(r"(?<!\w)[A-ZÆØÅ]{2,}(?!\w)")


def names(sentence: str, time: re.Pattern[str]) -> list[str]:
    """Runs of capitalised words not opening the sentence (and acronyms anywhere): people, places, bodies."""
    found: list[str] = []
    run: list[str] = []
    words = list(_WORD.finditer(sentence))
    for index, word in enumerate(words):
        text = word.group()
        capital = text[0].isupper() and len(text) > 1 and not time.fullmatch(text)
        acronym = bool(_ACRONYM.fullmatch(text))
        opening = index == 0 or bool(re.search(r"[.!?:–—]", sentence[words[index - 1].end() : word.start()]))
        if capital and (not opening or acronym):
            run.append(text)
            continue
        if run:
            found.append(" ".join(run))
            run = []
    if run:
        found.append(" ".join(run))
    return list(dict.fromkeys(found))


def _first(pattern: re.Pattern[str], text: str) -> list[str]:
    return list(dict.fromkeys(m.group().strip() for m in pattern.finditer(text)))


def score(sentence: str, language: str = "en") -> tuple[int, tuple[str, ...]]:
    """How check-worthy a sentence is, and the signals found (e.g. 'number: 43', 'reported speech: sier')."""
    p = _PATTERNS[language]
    numbers = _first(p.number, sentence)
    signals: list[tuple[str, list[str]]] = [
        ("number", numbers),
        ("date", _first(p.time, sentence)),
        ("duration", _first(p.duration, sentence)),
        ("reported speech", _first(p.speech, sentence)),
        ("hearsay", _first(p.hearsay, sentence)),
        ("body", _first(p.bodies, sentence)),
        ("name", names(sentence, p.time)[:MAX_NAMES]),
        ("quantity", _first(p.quantities, sentence)),
        ("comparison", _first(p.comparisons, sentence)[:1]),
        ("causal", _first(p.causal, sentence)),
    ]
    total = 0
    reasons: list[str] = []
    for kind, found in signals:
        if not found:
            continue
        count = len(found) if kind == "name" else 1 + (kind == "number" and len(found) > 1)
        total += WEIGHTS[kind] * count
        reasons.append(f"{kind}: {', '.join(found[:3])}")
    words = len(_WORD.findall(sentence))
    if sentence.rstrip().endswith("?"):
        total -= 3
    if words < MIN_WORDS:
        total -= 2
    return total, tuple(reasons)


def _excluded(sentence: str, block: str, p: _Patterns) -> bool:
    """Teasers in brackets ('[ Read also … ]'), newsletter lines and headings are never claims."""
    stripped = block.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        return True
    if p.boilerplate.search(sentence):
        return True
    return not re.search(r"[.!?…:\"”»]$", stripped) and len(_WORD.findall(stripped)) < 8


def _units(block: str, p: _Patterns) -> Iterator[tuple[int, int]]:
    """Sentence spans, with a sentence that leans on the one before ('Of these, 31 …') joined to it."""
    spans = sentence_spans(block)
    index = 0
    while index < len(spans):
        start, end = spans[index]
        while index + 1 < len(spans) and p.partitive.match(block[spans[index + 1][0] :]):
            index += 1
            end = spans[index][1]
        yield start, end
        index += 1


def propose(blocks: Sequence[str], language: str | None = None, min_score: int = 2) -> list[Candidate]:
    """Every sentence scoring at least min_score, best first (ties in article order)."""
    language = language if language in LEXICONS else detect_language(" ".join(blocks)) or "en"
    p = _PATTERNS[language]
    found: list[Candidate] = []
    for number, block in enumerate(blocks):
        for start, end in _units(block, p):
            sentence = block[start:end]
            if _excluded(sentence, block, p):
                continue
            points, reasons = score(sentence, language)
            if points >= min_score:
                found.append(Candidate(sentence, number, start, end, points, reasons))
    return sorted(found, key=lambda c: (-c.score, c.block, c.start))


_STOP = frozenset(
    ENGLISH.function_words
    | NORWEGIAN.function_words
    | {"for", "at", "en", "in", "a", "i", "on", "he", "she", "they", "we", "han", "hun", "de", "vi", "der", "her", "da"}
)
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "ß": "ss", "ð": "d", "þ": "th", "ł": "l"})


def claim_id(quote: str, taken: set[str] | frozenset[str] = frozenset(), words: int = 4) -> str:
    """A kebab-case id from the quote's first content words, ASCII-folded, unique among `taken`."""
    folded = unicodedata.normalize("NFKD", quote.lower().translate(_FOLD)).encode("ascii", "ignore").decode()
    tokens = [t for t in re.findall(r"[a-z0-9]+", folded) if t not in _STOP and (len(t) > 2 or t.isdigit())]
    base = "-".join(tokens[:words]) or "claim"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
