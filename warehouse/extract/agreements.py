"""Stage 6, agreements: treaties, pacts and deals with parties, status, provisions and a natural id."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date as Date
from datetime import timedelta
from functools import lru_cache

from ..catalogue import ReferenceAgreement, reference_agreements
from ..normalize import slug
from .lexicon import (
    DENY,
    DROP_KIND,
    KIND_WORDS,
)

AGREEMENT_NOUN = re.compile(
    r"\b(?P<noun>treaty|treaties|pact|agreement|accord|deal|arrangement|memorandum(?:\s+of\s+understanding)?|"
    r"alliance\s+treaty|partnership(?=\s)(?!\s+(?:treaty|treaties|pact|agreement|accord|deal|arrangement)))\b",
    re.IGNORECASE,
)


# a signed (or won) contract: "signed a contract", "inked a $1.7 billion deal", "won an order", "contract worth"
_SIGNED_DEAL = re.compile(r"\b(?:signed|signs|inked|sealed|concluded|clinched|finali[sz]ed|won|wins|awarded)\s+"
                          r"(?:[^.;]{0,60}?\s)?(?:contracts?|deals?|agreements?|orders?|letters?\s+of\s+offer)\b|"
                          r"\b(?:contracts?|deals?)\s+(?:worth|valued\s+at)\b", re.I)
# nouns that can name an arms deal (a reference arms deal also needs its system in the sentence)
_DEAL_NOUNS = {"deal", "contract", "agreement", "order", "purchase", "arrangement"}
_DASHES = "[-\u2010\u2011\u2012\u2013\u2014 ]"


@lru_cache(maxsize=1)
def _reference_names() -> tuple[tuple[re.Pattern, ReferenceAgreement], ...]:
    """Each reference name as a pattern (any dash or a space where the name has a hyphen), longest first."""
    pairs = [(n, ref) for ref in reference_agreements() for n in ref.names]
    pairs.sort(key=lambda p: -len(p[0]))
    return tuple((re.compile(r"(?<!\w)" + re.escape(n).replace("\\-", _DASHES).replace("\\ ", r"\s+") + r"(?!\w)",
                             re.I), ref) for n, ref in pairs)


def _iso(d: str | None, latest: bool = False) -> Date | None:
    """A date from YYYY, YYYY-MM or YYYY-MM-DD; ``latest``: the last day the coarser forms allow
    (an article "published 2024-06" may be from 30 June)."""
    try:
        if not d:
            return None
        if len(d) >= 10:
            return Date.fromisoformat(d[:10])
        if len(d) >= 7:
            first = Date(int(d[:4]), int(d[5:7]), 1)
            if not latest:
                return first
            return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return Date(int(d[:4]), 12, 31) if latest else Date(int(d[:4]), 1, 1)
    except ValueError:
        return None


class AgreementStage:
    """Agreement claims and rows. A mixin of pipeline.Extraction."""

    def _agreements(self) -> None:
        n = 0
        last_id: str | None = None
        for s in self.sents:
            m = None
            for cand in AGREEMENT_NOUN.finditer(s.text):
                noun_l = cand.group("noun").lower()
                if re.search(r"\bto\s+$", s.text[:cand.start()]) or (
                        noun_l in ("deal", "agreement", "arrangement", "accord") and
                        re.match(r"\s+with\b", s.text[cand.end():])):
                    # the verb "to deal with"; "a deal with Baykar" is the signed contract's (_deal_agreements);
                    # "a treaty with North Korea" is an agreement here
                    continue
                if re.search(r"\b(?:previously|already)\s+reached\s+$|\bunder\s+(?:the\s+)?$", s.text[:cand.start()]):
                    continue
                if cand.group("noun").lower() == "partnership" and not re.search(
                        r"\b(?:declared|declare|declares|signed|sign|signs|forged|forge|forges|sealed|announced|"
                        r"agreed|struck|launched|established|proclaimed|formali[sz]ed)\s+(?:an?|their|the|a\s+new)\s+"
                        r"[^.;,]{0,40}$", s.text[:cand.start()], re.I):
                    continue  # "partnership" is an agreement only when declared or signed
                m = cand
                break
            if not m:
                continue
            noun = m.group("noun").lower()
            # kind words right before the noun, possibly quoted: "comprehensive strategic partnership" treaty
            pre = s.text[:m.start()]
            words = re.findall(r"[A-Za-z-]+", pre[-80:])
            kind_words: list[str] = []
            for w in reversed(words):
                lw = w.lower()
                if lw in KIND_WORDS or lw in DROP_KIND:
                    kind_words.insert(0, lw)
                else:
                    break
            parties: list[str] = []
            speakers = set(self._claimants(s, s.start + m.start()))
            clause_end = s.start + len(s.text)
            if noun == "partnership":
                # "Russia and China declared a partnership in 2022, days before Russian troops invaded Ukraine"
                comma = re.search(r"[,;]", s.text[m.end():])
                clause_end = s.start + m.end() + comma.start() if comma else clause_end
            for a in s.actors:
                if a.start >= clause_end or a.kind == "dateline":
                    continue  # (the place a story is filed from is no party)
                c = self.g.country_of(a.id) if a.kind not in ("group",) else None
                if a.start in self.role_parent_starts or self._claimant_id(a) in speakers:
                    continue  # "South Korea's adviser, Shin, alleging ...": the speaker, not a party
                if re.search(r"\b(?:in|into|across|over|near|at|on|from|against|inside)\s+(?:the\s+)?$",
                             self.text[max(s.start, a.start - 12):a.start]):
                    continue  # a place ("efforts in Ukraine"), not a party
                if re.search(r"\b(?:recorded|reported|compiled|tracked|documented|monitored|cited|published|"
                             r"estimated)\s+by"
                             r"\s+(?:the\s+)?$|\baccording\s+to\s+(?:the\s+)?$",
                             self.text[max(s.start, a.start - 25):a.start], re.I):
                    continue  # "a 2019 deal recorded by the Stockholm International Peace Research Institute"
                if re.search(r"\b(?:invasion|invading|war|attack|occupation|isolation|annexation)\s+(?:of|on|in)\s+"
                             r"(?:the\s+)?$", self.text[max(s.start, a.start - 20):a.start], re.I):
                    continue  # "following its invasion of Ukraine": the war, not a party
                if re.match(r"(?:['’]s)?\s*(?:(?:has|have|had|also)\s+)*(?:said|says|warn\w*|claim\w*|accus\w*|"
                            r"alleg\w*|told|stated|insist\w*|argu\w*|noted|fear\w*|express\w*)\b",
                            self.text[a.end:a.end + 40], re.I) and a.start < s.start + m.start():
                    continue  # "The United States has warned that ...": the speaker
                if c and c not in parties and a.kind != "demonym":
                    parties.append(c)
            if len(parties) == 1 and re.match(r"\s+(?:that\s+|which\s+)?(?:he|she|it|they)\s+(?:had\s+|has\s+)?"
                                              r"(?:signed|concluded|sealed|agreed)\s+with\b", s.text[m.end():]):
                # "the mutual defence pact he signed with Vladimir Putin": the speaker's side signed it
                for sp in speakers:
                    c = self.g.country_of(sp) or (self.actor_id(sp) if sp.startswith("person:") else None)
                    if c and c.startswith("country:") and c not in parties:
                        parties.insert(0, c)
                        break
            from_context = not parties
            if not parties and kind_words and not re.search(r"\b(?:this|that|the)\s+$", pre):
                # a named kind of agreement with its parties in earlier sentences: the two most
                # mentioned countries so far
                counts = Counter(self.g.country_of(mm.entity) for mm in self.mentions if mm.start < s.start
                                 and not mm.entity.startswith("org:"))  # a firm speaking is no party
                counts.pop(None, None)
                parties = [c for c, _ in counts.most_common(2)] if len(counts) >= 2 else []
            if re.search(r"\barms\s+deal\b", s.text[max(0, m.start() - 6):m.end()], re.I):
                kind = "arms_deal"
            elif noun.startswith("treat") or noun == "alliance treaty":
                kind = "treaty"
            elif noun == "pact":
                kind = "pact"
            elif noun in ("deal", "arrangement"):
                kind = "deal"
            elif noun.startswith("memorandum"):
                kind = "memorandum"
            elif any(w in kind_words for w in ("defense", "defence", "mutual", "security", "military")):
                kind = "pact"
            else:
                kind = "other"
            if len(parties) == 2 and not from_context and kind in ("deal", "arms_deal", "other"):
                # "The UAE ordered the system in a deal worth $3.5 billion, and Saudi Arabia followed": two buyers
                # are not each other's counterparty; the deal is the buyer's with its supplier
                frames = [t for t in self.transfers if t.sent is s and t.supplier and t.recipient]
                buyers = {t.recipient for t in frames}
                if frames and set(parties) & buyers and not set(parties) & {t.supplier for t in frames}:
                    near = min((t for t in frames if t.recipient in parties),
                               key=lambda t: abs(t.trigger_start - (s.start + m.start())))
                    parties = [near.recipient, near.supplier]
            status = self._agreement_status(s.text)
            ref = self._reference_match(s, noun, kind_words, parties, status, from_context)
            if ref is not None:
                ag_id = last_id = self._register_reference(ref)
                n += 1
                self._agreement_claim(s, m, ag_id, status, n)
                continue
            if len(parties) > 2 and not re.search(r"\b(?:between|among|trilateral|multilateral|joint|jointly)\b",
                                                  s.text, re.I):
                # "a deal ... that beat bids from France, Germany and Britain": not every country in the
                # sentence signs it; the two the article speaks of most do (then the nearer to the noun)
                counts = Counter(self.g.country_of(mm.entity) for mm in self.mentions)
                with_party = next((self.g.country_of(a.id) for a in s.actors if s.start + m.end() <= a.start and
                                   re.fullmatch(r"\s+with\s+(?:the\s+)?", self.text[s.start + m.end():a.start])), None)
                if with_party in parties:
                    counts[with_party] += 1000  # "its 1979 peace treaty with Israel": the one it is made with signs
                    if re.search(r"\bits\s+(?:[\w-]+\s+){0,5}$", s.text[:m.start()]):
                        owner = next((self.g.country_of(a.id) for a in s.actors if a.kind != "demonym"), None)
                        if owner in parties and owner != with_party:
                            counts[owner] += 1000  # and "its" owner, the sentence's subject
                near = sorted(parties, key=lambda p: (-counts[p], min(
                    (abs(a.start - (s.start + m.start())) for a in s.actors if self.g.country_of(a.id) == p),
                    default=0)))
                parties = [p for p in parties if p in near[:2]]
            anaphoric = re.search(r"\b(?:the|this|that|its|such\s+a)\s+(?:new\s+)?" + re.escape(m.group("noun")),
                                  s.text[max(0, m.start() - 12):m.end()], re.I) and not kind_words
            if (len(parties) < 2 or anaphoric) and last_id is None:
                continue
            if len(parties) < 2 or anaphoric:
                ag_id = last_id
            else:
                words_norm = [("defense" if w == "defence" else w) for w in kind_words if w not in DROP_KIND]
                if noun not in ("agreement", "deal") or not words_norm:
                    head = noun.split()[0] if noun != "alliance treaty" else "treaty"
                    words_norm.append("treaty" if head == "treaties" else head)
                elif noun in ("agreement", "deal"):
                    words_norm.append(noun)
                date, prec, dtext = self._event_date(s)
                # The agreement row is shared by every article that reports it, so its contents must
                # follow from the id alone: the year (when the signing date is known) and a status
                # other than "signed" are part of the id, and signed_on is kept to the year (the
                # claim keeps the full date).
                year = date[:4] if (date and status in ("signed", "in_force")) else None
                codes = sorted(p.split(":", 1)[1].lower() for p in parties)
                ag_id = "agreement:" + "-".join(codes + [slug(" ".join(words_norm))] + ([year] if year else [])
                                                + ([slug(status)] if status != "signed" else []))
                if ag_id not in self.agreements:
                    name_words = " ".join(words_norm).capitalize()
                    signed = year
                    for p in parties:
                        self.declare(p)
                    self.agreements[ag_id] = {
                        "id": ag_id, "name": name_words, "kind": kind, "status": status,
                        "signed_on": signed, "signed_precision": "year" if signed else "unknown",
                        "parties": parties,
                    }
                last_id = ag_id
            if ag_id is None:
                continue
            n += 1
            self._agreement_claim(s, m, ag_id, status, n)
        self._deal_agreements(n)

    def _register_reference(self, ref: ReferenceAgreement) -> str:
        """The agreement row of a reference agreement (its contents follow from the id alone)."""
        if ref.agreement_id not in self.agreements:
            for p in ref.parties:
                self.declare(p)
            self.agreements[ref.agreement_id] = {
                "id": ref.agreement_id, "name": ref.name, "kind": ref.kind, "status": ref.status,
                "signed_on": ref.signed_on, "signed_precision": "day", "parties": list(ref.parties),
            }
        return ref.agreement_id

    def _deal_agreements(self, n: int) -> None:
        """A signed arms contract is an agreement too: "Romania signed a contract with Hanwha Aerospace for
        54 K9 howitzers", "LIG Nex1 said it had won an order from Iraq". Its parties are the buyer and the
        seller the sentence names (the firm when it names one, else the state); the reference file first,
        else an id from the parties, the system (or category) and the year the sentence gives."""
        done = {(c["start"], tuple(sorted(self.agreements[c["agreement"]]["parties"]))) for c in self.claims
                if c["predicate"] == "agreement"}
        pool = sorted(self.transfers + self.shared_totals, key=lambda t: (t.sent.index, t.trigger_start))
        for t in pool:
            if t.status != "ordered" or not t.recipient or not t.supplier or t.negated:
                continue
            s = t.sent
            m = _SIGNED_DEAL.search(s.text)
            if m is None or not t.recipient.startswith("country:"):
                continue
            seller = next((a.entity for a in s.actors if a.entity.startswith("org:") and a.id == t.supplier), None)
            # one contract with several buyers ("to sell nine aircraft to the Netherlands and Austria")
            buyers = [t.recipient] + [o.recipient for o in pool if o is not t and o.sent is s and
                                      o.trigger_start == t.trigger_start and o.supplier == t.supplier and
                                      o.status == "ordered" and o.recipient and o.recipient != t.recipient and
                                      o.recipient.startswith("country:")]
            parties = list(dict.fromkeys(buyers)) + [seller or t.supplier]
            as_states = {self.g.country_of(p) or p for p in parties}
            if any(st == s.start and (set(pp) >= as_states or set(pp) >= set(parties)) for st, pp in done):
                continue  # the sentence's agreement mention already stands for this contract
            noun = re.search(r"contracts?|deals?|agreements?|orders?|letters?\s+of\s+offer", m.group(0), re.I)
            ref = self._reference_match(s, (noun.group(0).lower().rstrip("s") if noun else "deal"), [],
                                        [t.recipient, t.supplier], "signed")
            if ref is not None and ref.kind == "arms_deal":
                ag_id = self._register_reference(ref)
            else:
                date, _, _ = self._event_date(s)
                year = date[:4] if date else None
                what = t.item.system.split(":", 1)[1] if t.item.system else t.item.category.replace("_", "-")
                codes = sorted(p.split(":", 1)[1].lower() for p in parties)
                ag_id = "agreement:" + "-".join(codes + [what] + ([year] if year else []))
                if ag_id not in self.agreements:
                    for p in parties:
                        self.declare(p)
                    names = [self.entities.get(p, {}).get("name") or p.split(":", 1)[1] for p in parties]
                    thing = (self.g.entities[t.item.system].name if t.item.system in self.g.entities
                             else t.item.category.replace("_", " "))
                    self.agreements[ag_id] = {
                        "id": ag_id, "name": f"{'/'.join(names[:-1])}-{names[-1]} {thing} deal", "kind": "arms_deal",
                        "status": "signed", "signed_on": year, "signed_precision": "year" if year else "unknown",
                        "parties": parties}
            done.add((s.start, tuple(sorted(self.agreements[ag_id]["parties"]))))
            n += 1
            self._agreement_claim(s, m, ag_id, "signed", n)

    def _reference_match(self, s, noun: str, kind_words: list[str], parties: list[str],
                         status: str, from_context: bool = False) -> ReferenceAgreement | None:
        """The reference agreement (warehouse/data/agreements.csv) a mention stands for: one whose name
        the sentence writes, else one with two of the mention's parties and a word of its kind (an arms
        deal also its system), signed in the year the sentence gives, and not long after the article."""
        for rx, ref in _reference_names():
            if rx.search(s.text):
                return ref
        found = {self.g.country_of(p) or p for p in parties}
        need = 1
        if from_context:
            # no party in the sentence ("could lead to a new 'strategic partnership' treaty"): the three
            # countries the article names most, and two words of the agreement's kind at least
            counts = Counter(self.g.country_of(mm.entity) for mm in self.mentions if mm.start < s.start)
            counts.pop(None, None)
            found = {c for c, _ in counts.most_common(3)}
            need = 2
        if len(found) < 2:
            return None
        words = {w.lower() for w in re.findall(r"[A-Za-z-]+", s.text)} | set(kind_words) | {noun.split()[0]}
        systems = {mm.entity for mm in self.mentions if mm.sentence == s.index and mm.entity.startswith("system:")}
        published = _iso(self.published, latest=True)
        years = {d.date[:4] for d in s.dates if d.date}
        best, best_score = None, 0
        for ref in reference_agreements():
            ref_parties = {self.g.country_of(p) or p for p in ref.parties}
            if len(found & ref_parties) < 2:
                continue
            system_hit = bool(systems & ref.systems)
            if ref.kind == "arms_deal" and not (system_hit and noun.split()[0] in _DEAL_NOUNS):
                continue
            if noun.split()[0] not in ref.words and not system_hit and noun not in ("treaty", "pact", "agreement"):
                continue
            signed = _iso(ref.signed_on)
            if published and signed and published < signed - timedelta(days=120):
                continue  # the article is older than the agreement: another one
            if years and status in ("signed", "in_force") and signed and ref.signed_on[:4] not in years:
                continue  # "signed in 2016": not the 2025 deal (any date of the sentence may be the signing's)
            if signed and any(y != ref.signed_on[:4] for y in re.findall(
                    rf"\b((?:19|20)\d\d)\s+(?:[A-Za-z-]+\s+){{0,4}}{re.escape(noun.split()[0])}", s.text, re.I)):
                continue  # "its 1979 peace treaty with Israel": the year before the noun is the agreement's own
            score = len(words & ref.words) + 3 * system_hit
            if score >= need and score > best_score:
                best, best_score = ref, score
        return best

    def _agreement_claim(self, s, m: re.Match, ag_id: str, status: str, n: int) -> None:
        """The claim of one agreement mention (sentence s, agreement noun m)."""
        ag = self.agreements[ag_id]
        date, prec, dtext = self._event_date(s)
        self.claims.append({
            "key": f"a{n}", "predicate": "agreement", "claimant": (self._claimants(s, s.start + m.start())
                                                                    or [None])[0],
            "subject": ag["parties"][0], "object": ag["parties"][1] if len(ag["parties"]) > 1 else None,
            "stance": "asserts", "hedge": self._hedge(s, s.start, s.end), "quote": s.text, "start": s.start,
            "end": s.end, "date": date, "date_precision": prec, "date_text": dtext,
            "summary": f"{ag['name']} ({status})", "agreement": ag_id, "provisions": self._provisions(s.text),
        })
        c = self.claims[-1]["claimant"]
        if c:
            self.declare(c)

    def _agreement_status(self, text: str) -> str:
        t = text.lower()
        if DENY.search(t):
            return "denied"
        if re.search(r"\b(?:ratif\w*|entered\s+into\s+force|took\s+effect|in\s+force)\b", t):
            return "in_force"
        if re.search(r"\b(?:looking\s+to|could|would|will|may|might|plan\w*|set\s+to|expected|potential\w*|"
                     r"propos\w*|if\s+it|seek\w*|hopes?\s+to|aim\w*|negotiat\w*|talks?\s+on)\b", t):
            return "proposed"
        if re.search(r"\b(?:signed|signing|inked|concluded|sealed)\b", t):
            return "signed"
        if re.search(r"\b(?:announc\w*|agreed|unveil\w*|reached|struck)\b", t):
            return "announced"
        if re.search(r"\b(?:reportedly|rumou?r\w*)\b", t):
            return "rumoured"
        return "announced"

    def _provisions(self, text: str) -> list[str]:
        out = []
        for m in re.finditer(r"\b(?:pledging|pledges|pledged|provides?\s+for|providing\s+for|commit(?:s|ting)?\s+"
                             r"(?:them|both\s+sides|the\s+parties)?\s*to|oblig\w+\s+\w+\s+to|includ(?:e|es|ing))\s+"
                             r"[\"“']?(?P<p>[^.;,\"”]{6,120})", text, re.I):
            p = m.group("p").strip().strip("\"“”'")
            if p:
                out.append(p)
        m = re.search(r"\bmutual\s+(?:assistance|support|defen[cs]e|aid)\b[^.;,\"”]{0,80}", text, re.I)
        if m and not any(m.group(0).strip() in o for o in out):
            out.append(m.group(0).strip())
        return out
