"""The rule-based extractor: an article's cleaned text -> an ArticleRecord.

One module per stage; this one only builds the spaCy pipeline and runs the stages in order.
``Extraction`` holds all state for one article and takes its methods from the stage mixins.

1. mentions.py (MentionStage): tokenise and split sentences (sentencizer, plus a break at every
   newline); gazetteer mentions (PhraseMatcher over the reference data), titled people, unnamed
   groups, datelines; per sentence the actors (parties) and the item phrases (items.py);
2. items.py / numbers.py / quantities.py (QuantityStage): item phrases with their categories,
   counts with bounds and qualifiers; dates.py: date expressions;
3. frames.py (FrameStage): transfer frames around trigger words (resources/triggers.csv), each
   filled by frame_kinds.py (FrameKinds, one method per trigger kind) from syntax-free cues:
   - giving verbs (supply, send, deliver, ship, provide, transfer, sell, deploy, ...):
     supplier = nearest actor on the left that is not inside a prepositional phrase,
     recipient = "to X" / "to aid X" on the right or the actor right after the verb
     ("supplied Russia with shells"); passive "Y was sent to Z by X";
   - receiving verbs (receive, buy, purchase, acquire, secure, seek, look to X for):
     recipient on the left, supplier from "from X", "with X" (negotiating with X to
     secure), "X's/Xian support", or the maker of a purchased system;
   - movement (made its way to, en route from X to Z, arrived in);
   - nouns (the deployment/supply/delivery of Y to Z, Y transfers from X to Z);
   status.py (StatusStage): status from tense, modality and the trigger word;
   context.py (ContextStage): a missing supplier or recipient is taken from the same sentence's
   other transfers or from recent transfers of the same kind (the most salient party wins); one
   transfer claim per claimant;
4. attribution.py (AttributionStage): hedge from the words governing the statement, claimant from
   attribution ("according to X", "X said", "X accusations that");
5. denials.py (DenialStage): denials point at the transfers they deny (same sentence, or earlier
   ones involving the deniers: "Both sides denied these reports");
6. agreements.py (AgreementStage): agreements (treaty, pact, deal, agreement) with parties,
   status, provisions and a natural id: agreement:<sorted party codes>-<kind words>[-<year>].

The language resources (trigger words, status cues, hedges, attribution verbs, item heads,
groups, ...) are data files in resources/, read by lexicon.py.
"""

from __future__ import annotations

from functools import lru_cache

from ..records import ArticleRecord
from .agreements import AgreementStage
from .attribution import AttributionStage
from .context import ContextStage
from .denials import DenialStage
from .frame_kinds import FrameKinds
from .frames import FrameStage
from .gazetteer import Gazetteer, load_gazetteer
from .items import Item
from .lexicon import TRIGGER_RE
from .mentions import MentionStage
from .model import Mention, Sent, Transfer, strip_span
from .quantities import QuantityStage
from .status import StatusStage

EXTRACTOR_NAME = "rules"
EXTRACTOR_VERSION = "0.10.1"


@lru_cache(maxsize=1)
def nlp_and_matcher():
    import spacy
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher

    if not Language.has_factory("newline_breaks"):
        @Language.component("newline_breaks")
        def newline_breaks(doc):
            for tok in doc[1:]:
                prev = doc[tok.i - 1]
                if prev.is_space and "\n" in prev.text:
                    tok.is_sent_start = True
                elif "\n" in prev.whitespace_:
                    tok.is_sent_start = True
            return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("newline_breaks")
    g = load_gazetteer()
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    surfaces = sorted(g.surfaces)
    matcher.add("GAZ", list(nlp.tokenizer.pipe(surfaces)))
    return nlp, matcher


class Extraction(MentionStage, QuantityStage, FrameStage, FrameKinds, StatusStage, ContextStage, AttributionStage,
                 DenialStage, AgreementStage):
    """All state for one article."""

    def __init__(self, text: str, published: str | None, precision: str, title: str | None):
        self.text = text
        self.published = published
        self.precision = precision
        self.title = title
        self.g: Gazetteer = load_gazetteer()
        self.entities: dict[str, dict] = {}
        self.mentions: list[Mention] = []
        self.sents: list[Sent] = []
        self.transfers: list[Transfer] = []
        self.negated: list[Transfer] = []
        self.claims: list[dict] = []
        self.agreements: dict[str, dict] = {}
        self.person_names: dict[str, str] = {}  # person id -> name
        self.person_parent: dict[str, str | None] = {}
        self.last_system_item: Item | None = None
        self.shared_totals: list[Transfer] = []  # context.py: a shared order's total, replaced by its parts
        self.role_parent_starts: set[int] = set()
        self.headline: list[Transfer] = []  # the title's transfers: context for the body, never claims

    def run(self) -> None:
        nlp, matcher = nlp_and_matcher()
        doc = nlp(self.text)
        for s in doc.sents:
            a, b = strip_span(self.text, s.start_char, s.end_char)
            if b > a:
                self.sents.append(Sent(len(self.sents), a, b, self.text[a:b]))
        if not self.sents:
            self.sents.append(Sent(0, 0, len(self.text), self.text))
        self.headline = self._headline_transfers()
        self._find_mentions(doc, matcher)  # mentions.py
        self._build_sentences()  # mentions.py: actors and item phrases per sentence
        for s in self.sents:
            n = len(self.transfers)
            self._transfers_in(s)  # frames.py
            if len(self.transfers) == n:
                self._deal_anaphor(s)  # frames.py: "The deal is worth ...", "Deliveries are expected to begin"
        self._fill_from_context()  # context.py
        self._emit_transfers()  # context.py
        self._deal_values()  # quantities.py
        self._denials()  # denials.py
        self._agreements()  # agreements.py
        self._roles()  # mentions.py

    def _headline_transfers(self) -> list[Transfer]:
        """The title's transfers with both parties ("Micronesia receives its second Guardian-class patrol boat
        from Australia"): a body sentence that leaves a party out ("the Department of Defence, which gifted it
        to Micronesia") takes it from them. The title is not in the text, so they give no claim of their own."""
        if not self.title or not self.title.strip() or not TRIGGER_RE.search(self.title):
            return []  # (no trigger word: no frame, and no cost)
        sub = Extraction(self.title.strip(), self.published, self.precision, None)
        nlp, matcher = nlp_and_matcher()
        doc = nlp(sub.text)
        sub.sents.append(Sent(0, 0, len(sub.text), sub.text))
        sub._find_mentions(doc, matcher)
        sub._build_sentences()
        sub._transfers_in(sub.sents[0])
        return [t for t in sub.transfers if t.supplier and t.recipient and t.supplier != t.recipient
                and not t.negated]

    def record(self, extractor: dict, article: dict) -> ArticleRecord:
        mentions = [
            {"entity": m.entity, "start": m.start, "end": m.end, "surface": m.surface, "sentence": m.sentence}
            for m in self.mentions
        ]
        return ArticleRecord.model_validate({
            "extractor": extractor,
            "article": article,
            "entities": list(self.entities.values()),
            "mentions": mentions,
            "claims": self.claims,
            "agreements": list(self.agreements.values()),
        })



def extract(text: str, *, title=None, publisher=None, published=None, published_precision="unknown",
            origin_file=None, url=None) -> ArticleRecord:
    ex = Extraction(text, published, published_precision, title)
    ex.run()
    article = {"title": title, "publisher": publisher, "published": published,
               "published_precision": published_precision, "origin_file": origin_file, "url": url, "text": text}
    from ..normalize import article_id_for

    article["id"] = article_id_for(text)
    return ex.record({"name": EXTRACTOR_NAME, "version": EXTRACTOR_VERSION}, article)
