"""Stage 6, agreements: treaties, pacts and deals with parties, status, provisions and a natural id."""

from __future__ import annotations

import re
from collections import Counter

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


class AgreementStage:
    """Agreement claims and rows. A mixin of pipeline.Extraction."""

    def _agreements(self) -> None:
        n = 0
        last_id: str | None = None
        for s in self.sents:
            m = None
            for cand in AGREEMENT_NOUN.finditer(s.text):
                if re.search(r"\bto\s+$", s.text[:cand.start()]) or re.match(r"\s+with\b", s.text[cand.end():]):
                    continue  # the verb "to deal with"
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
                if a.start >= clause_end:
                    continue
                c = self.g.country_of(a.id) if a.kind not in ("group",) else None
                if a.start in self.role_parent_starts or self._claimant_id(a) in speakers:
                    continue  # "South Korea's adviser, Shin, alleging ...": the speaker, not a party
                if re.search(r"\b(?:in|into|across|over|near|at|on|from|against|inside)\s+(?:the\s+)?$",
                             self.text[max(s.start, a.start - 12):a.start]):
                    continue  # a place ("efforts in Ukraine"), not a party
                if re.match(r"(?:['’]s)?\s*(?:(?:has|have|had|also)\s+)*(?:said|says|warn\w*|claim\w*|accus\w*|"
                            r"alleg\w*|told|stated|insist\w*|argu\w*|noted|fear\w*|express\w*)\b",
                            self.text[a.end:a.end + 40], re.I) and a.start < s.start + m.start():
                    continue  # "The United States has warned that ...": the speaker
                if c and c not in parties and a.kind != "demonym":
                    parties.append(c)
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
            status = self._agreement_status(s.text)
            anaphoric = re.search(r"\b(?:the|this|that|its|such\s+a)\s+(?:new\s+)?" + re.escape(m.group("noun")),
                                  s.text[max(0, m.start() - 12):m.end()], re.I) and not kind_words
            if (len(parties) < 2 or anaphoric) and last_id is None:
                continue
            provisions = self._provisions(s.text)
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
            ag = self.agreements[ag_id]
            n += 1
            date, prec, dtext = self._event_date(s)
            self.claims.append({
                "key": f"a{n}", "predicate": "agreement", "claimant": (self._claimants(s, s.start + m.start())
                                                                        or [None])[0],
                "subject": ag["parties"][0], "object": ag["parties"][1] if len(ag["parties"]) > 1 else None,
                "stance": "asserts", "hedge": self._hedge(s, s.start, s.end), "quote": s.text, "start": s.start,
                "end": s.end, "date": date, "date_precision": prec, "date_text": dtext,
                "summary": f"{ag['name']} ({status})", "agreement": ag_id, "provisions": provisions,
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
