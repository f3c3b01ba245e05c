"""UI strings in the languages briefgen ships: English (en) and Norwegian Bokmål (nb)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

LANGUAGES = ("en", "nb")

_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "skip_to_content": "Skip to content",
        "briefs": "Fact-check briefs",
        "brief": "Brief",
        "claims": "Claims",
        "claim": "Claim",
        "claim_checked": "Claim checked",
        "restated": "In short",
        "quote": "Quote from the article",
        "status": "Rating",
        "verdict": "Our verdict",
        "sources": "Sources",
        "no_sources": "No source settles this claim; see the verdict for what was searched.",
        "archived_copy": "archived copy",
        "accessed": "accessed",
        "published": "Published",
        "updated": "Updated",
        "reviewed_by": "Reviewed by",
        "article": "The article",
        "article_by": "By",
        "original_article": "Original article",
        "read_original": "Read the original article",
        "scorecard": "Scorecard",
        "claims_count": "{n} claims checked",
        "claim_count_one": "1 claim checked",
        "corrections": "Corrections",
        "methodology": "Methodology",
        "ratings": "Our ratings",
        "report_error": "Report an error",
        "back_to_brief": "Back to the brief",
        "see_in_article": "See in the article",
        "see_in_original": "See the quote in the original",
        "to_claim": "Go to the claim",
        "all_briefs": "All briefs",
        "claimant": "Claim by",
        "in_article": "in",
        "tags": "Tags",
        "draft": "Draft — not published",
        "not_found": "Page not found",
        "not_found_text": "There is no page at this address. It may have moved.",
        "home": "Home",
        "permalink": "The claim in full, with source excerpts",
        "rating_legend": "Rating legend",
        "no_briefs": "No briefs have been published yet.",
        "search": "Search",
        "search_label": "Search briefs and claims",
        "language_name": "English",
        "note_headline": "Headline supplied by the reviewer",
        "summary": "Summary",
        "of": "of",
        "about_brief": "About this brief",
        "corrected_notice": "This brief has been corrected.",
        "see_corrections": "See the corrections",
        "claims_order": "In the order they appear in the article.",
        "highlight_note": "Highlighted passages are the claims we checked; each links to its rating.",
        "rating_definition": "What this rating means",
        "how_we_check": "How we check",
        "method_text": (
            "Each brief checks the factual claims of one news article. We quote every claim word for word from "
            "the article, restate it in one short sentence and rate that sentence on the scale below. A verdict "
            "explains each rating, and numbered sources let you follow every step and check it yourself. Where "
            "a source may change or disappear, we link an archived copy."
        ),
        "corrections_policy": "Corrections and errors",
        "corrections_text": (
            "When we get something wrong, we correct it openly: the brief gets a dated note under "
            "\u201cCorrections\u201d, and if the error affects a rating, we change the rating."
        ),
        "report_text": "Found an error, or a claim we should check? Tell us:",
        "report_contact": "Found an error, or a claim we should check? Write to {name}.",
        "claim_of_brief": "One claim from the brief",
    },
    "nb": {
        "skip_to_content": "Gå til innholdet",
        "briefs": "Faktasjekker",
        "brief": "Faktasjekk",
        "claims": "Påstander",
        "claim": "Påstand",
        "claim_checked": "Påstand som er sjekket",
        "restated": "Kort sagt",
        "quote": "Sitat fra artikkelen",
        "status": "Vurdering",
        "verdict": "Vår vurdering",
        "sources": "Kilder",
        "no_sources": "Ingen kilde avgjør denne påstanden; se vurderingen for hva som er undersøkt.",
        "archived_copy": "arkivert kopi",
        "accessed": "lest",
        "published": "Publisert",
        "updated": "Oppdatert",
        "reviewed_by": "Sjekket av",
        "article": "Artikkelen",
        "article_by": "Av",
        "original_article": "Originalartikkel",
        "read_original": "Les originalartikkelen",
        "scorecard": "Oversikt",
        "claims_count": "{n} påstander sjekket",
        "claim_count_one": "1 påstand sjekket",
        "corrections": "Rettelser",
        "methodology": "Metode",
        "ratings": "Våre vurderinger",
        "report_error": "Meld fra om feil",
        "back_to_brief": "Tilbake til faktasjekken",
        "see_in_article": "Se i artikkelen",
        "see_in_original": "Se sitatet i originalen",
        "to_claim": "Gå til påstanden",
        "all_briefs": "Alle faktasjekker",
        "claimant": "Påstand fra",
        "in_article": "i",
        "tags": "Emner",
        "draft": "Utkast — ikke publisert",
        "not_found": "Fant ikke siden",
        "not_found_text": "Det finnes ingen side på denne adressen. Den kan ha blitt flyttet.",
        "home": "Forsiden",
        "permalink": "Hele påstanden, med utdrag fra kildene",
        "rating_legend": "Forklaring av vurderingene",
        "no_briefs": "Ingen faktasjekker er publisert ennå.",
        "search": "Søk",
        "search_label": "Søk i faktasjekker og påstander",
        "language_name": "Norsk bokmål",
        "note_headline": "Tittelen er satt av faktasjekkeren",
        "summary": "Sammendrag",
        "of": "av",
        "about_brief": "Om faktasjekken",
        "corrected_notice": "Denne faktasjekken er rettet.",
        "see_corrections": "Se rettelsene",
        "claims_order": "I den rekkefølgen de står i artikkelen.",
        "highlight_note": "Uthevet tekst er påstandene vi har sjekket; hver lenker til vurderingen.",
        "rating_definition": "Hva vurderingen betyr",
        "how_we_check": "Slik sjekker vi",
        "method_text": (
            "Hver faktasjekk går gjennom de faktiske påstandene i én nyhetsartikkel. Vi siterer hver påstand "
            "ordrett fra artikkelen, gjengir den kort i én setning og vurderer den setningen på skalaen nedenfor. "
            "En begrunnelse forklarer hver vurdering, og nummererte kilder lar deg følge hvert steg og sjekke det "
            "selv. Der en kilde kan endres eller forsvinne, lenker vi til en arkivert kopi."
        ),
        "corrections_policy": "Rettelser og feil",
        "corrections_text": (
            "Når vi tar feil, retter vi det åpent: faktasjekken får en datert merknad under "
            "\u00abRettelser\u00bb, og hvis feilen påvirker en vurdering, endrer vi vurderingen."
        ),
        "report_text": "Har du funnet en feil, eller en påstand vi bør sjekke? Si fra:",
        "report_contact": "Har du funnet en feil, eller en påstand vi bør sjekke? Skriv til {name}.",
        "claim_of_brief": "Én påstand fra faktasjekken",
    },
}


def strings(language: str) -> Mapping[str, str]:
    """The UI strings of a language; English fills any gap."""
    merged = dict(_STRINGS["en"])
    merged.update(_STRINGS.get(language, {}))
    return MappingProxyType(merged)
