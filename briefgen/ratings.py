"""Rating scales: the default scale and the presets a site can choose in briefgen.toml.

ClaimReview's numeric ratingValue runs from 1 (worst) to 5 (best). Statuses that are not a judgement
of truth (unverified, "ikke sikkert") carry no number: their ClaimReview has only alternateName.
"""

from __future__ import annotations

from types import MappingProxyType

from .model import Rating, RatingScale


def _rating(
    key: str,
    en: str,
    nb: str,
    define_en: str,
    define_nb: str,
    colour: str,
    value: int | None,
    needs_sources: bool = True,
) -> Rating:
    return Rating(
        key=key,
        labels=MappingProxyType({"en": en, "nb": nb}),
        definitions=MappingProxyType({"en": define_en, "nb": define_nb}),
        colour=colour,
        value=value,
        needs_sources=needs_sources,
    )


DEFAULT = RatingScale(
    "default",
    (
        _rating(
            "true",
            "True",
            "Sant",
            "The claim is accurate and nothing significant is missing.",
            "Påstanden er korrekt, og ingenting vesentlig mangler.",
            "#1a7f37",
            5,
        ),
        _rating(
            "mostly-true",
            "Mostly true",
            "Stort sett sant",
            "The claim is accurate but needs clarification or a detail is wrong.",
            "Påstanden er i hovedsak korrekt, men trenger presisering eller har en feil detalj.",
            "#4d8b1f",
            4,
        ),
        _rating(
            "mixed",
            "Mixed",
            "Delvis sant",
            "Parts of the claim are accurate and parts are not.",
            "Deler av påstanden stemmer, andre deler gjør det ikke.",
            "#9a6700",
            3,
        ),
        _rating(
            "misleading",
            "Misleading",
            "Villedende",
            "The claim contains accurate elements but leaves a false impression.",
            "Påstanden inneholder korrekte elementer, men gir et galt inntrykk.",
            "#bc4c00",
            2,
        ),
        _rating("false", "False", "Usant", "The claim is inaccurate.", "Påstanden er ikke korrekt.", "#cf222e", 1),
        _rating(
            "unverified",
            "Unverified",
            "Ikke bekreftet",
            "The available evidence neither confirms nor refutes the claim.",
            "Tilgjengelige kilder verken bekrefter eller avkrefter påstanden.",
            "#57606a",
            None,
            needs_sources=False,
        ),
    ),
)

# Modelled on Faktisk.no's five-step Norwegian scale ("Faktisk helt sant" … "Faktisk helt feil").
FAKTISK = RatingScale(
    "faktisk",
    (
        _rating(
            "helt-sant",
            "Entirely true",
            "Helt sant",
            "The claim is entirely correct.",
            "Påstanden er helt riktig.",
            "#1a7f37",
            5,
        ),
        _rating(
            "delvis-sant",
            "Partly true",
            "Delvis sant",
            "The claim is mostly correct but lacks context or has errors of detail.",
            "Påstanden er i hovedsak riktig, men mangler kontekst eller har feil i detaljer.",
            "#4d8b1f",
            4,
        ),
        _rating(
            "ikke-sikkert",
            "Not certain",
            "Ikke sikkert",
            "The claim cannot be confirmed or refuted with the available sources.",
            "Påstanden kan verken bekreftes eller avkreftes med tilgjengelige kilder.",
            "#57606a",
            None,
            needs_sources=False,
        ),
        _rating(
            "delvis-feil",
            "Partly false",
            "Delvis feil",
            "The claim has correct elements but is mostly wrong.",
            "Påstanden har riktige elementer, men er i hovedsak feil.",
            "#bc4c00",
            2,
        ),
        _rating(
            "helt-feil",
            "Entirely false",
            "Helt feil",
            "The claim is entirely wrong.",
            "Påstanden er helt feil.",
            "#cf222e",
            1,
        ),
    ),
)

PRESETS: dict[str, RatingScale] = {scale.name: scale for scale in (DEFAULT, FAKTISK)}
