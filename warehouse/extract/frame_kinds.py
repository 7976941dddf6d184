"""Stage 3a, part two: one method per trigger kind, filling a Frame (frames.py) from the clause around the trigger.

``FrameStage._transfers_in`` (frames.py) finds the trigger words of a sentence (resources/triggers.csv) and,
for each, calls ``_frame_<kind>`` here with the trigger and its clause; the method sets the frame's supplier,
recipient and items (and, for some kinds, the status it inherits) and returns False when the trigger opens no
transfer. What is common to every kind (weak items, origins, negation, caps, refusals, one transfer per item
and party) stays in frames.py. A mixin of pipeline.Extraction.

- nafter: "oil transfers from Russia to North Korea" (the item before the noun);
- package: "a $425 million package for Y that includes Z" (and deal nouns whose contents follow);
- help / agent: "X helped Z build a factory", "the top supplier of Y";
- noun: "the delivery of Y to Z";
- give: "X sent Y to Z" (supplier on the left; passives, "to more than 30 countries, including ...");
- recv: "Z bought Y from X" (recipient on the left; the maker, a demonym or a relative clause for the supplier);
- use: "Russian forces used North Korean missiles" (the maker's country supplied the user);
- contain: "These could contain up to 4.8 million shells", "Germany's latest aid to Ukraine consists of ...";
- move: "Y arrived in Z", "en route from X to Z".
"""

from __future__ import annotations

import re

from .frames import (
    _APPOSITIVE_DEAL,
    _APPOSITIVE_OF,
    _AT_PLACE,
    _CARRYING,
    _DEAL_SUBJECT,
    _DEAL_WITH,
    _DECISION_TO,
    _DITRANSITIVE,
    _FIRM_AFTER_DEMONYM,
    _GAVE_AFTER,
    _GIVERS_AID,
    _ITS_FIRST,
    _LIST_END,
    _MAKER_PREPS,
    _NTH_OF_THEM,
    _OWN_INDUSTRY,
    _PREP_BEFORE,
    _RELATIVE_CONTENTS,
    _SCHEME_SUBJECT,
    HELP_ITEM,
    Frame,
)
from .items import (
    Item,
)
from .model import (
    Actor,
    is_weapon,
)

# "The two helicopters, the first of six that Abuja ordered from Turkish Aerospace in 2022, arrived": the subject,
# then an appositive with a clause of its own, then (at most two words before) the trigger
_SUBJECT_APPOSITIVE = re.compile(r"(?P<subj>[^,;]{3,80}),\s+(?:the|an?|its|their)\s+[^;]{3,140}?,\s*"
                                 r"(?:(?:have|has|had|were|was|finally|already|all)\s+){0,2}$")


# a carrier, not the thing delivered: "C-17 transport plane", "cargo ship", "Il-76 freighters"
_TRANSPORT = re.compile(r"\b(?:transport|cargo|freight|supply)\s+(?:planes?|aircraft|jets?|ships?|vessels?|flights?)\b|"
                        r"\b(?:freighters?|airlifters?)\b", re.I)
_CARGO_AFTER = re.compile(r"\b(?:with|carrying|loaded\s+with|laden\s+with|bringing|transporting)\s", re.I)
_JOURNEY_BEGAN = re.compile(r"\b(?:flights?|voyage|journey|trip|passage|transit)\s+(?:of\s+[^,.;]{0,40}?\s+)?"
                            r"(?:that|which)\s+(?:had\s+)?(?:began|begun|started|departed|set\s+off)\s+(?:at|in|from)\s+"
                            r"(?:(?:the\s+)?(?-i:[A-Z])[\w-]+(?:\s+(?-i:[A-Z])[\w-]+)?(?:\s+air\s*base)?\s+in\s+)?"
                            r"(?:the\s+)?", re.I)
_PLATFORMS = ("aircraft", "naval_vessels", "armored_vehicles")


class FrameKinds:
    """The trigger kinds' frame fillers (see the module docstring)."""

    def _frame_nafter(self, f: Frame) -> bool:
        s, masked, ts, te, c_lo, c_hi, trig = (
            f.s, f.masked, f.ts, f.te, f.c_lo, f.c_hi, f.trig)
        supplier, recipient, items, pre_lo = (
            f.supplier, f.recipient, f.items, f.pre_lo)
        # "oil transfers from Russia to North Korea", "arms deliveries to Ukraine"
        prev = [i for i in s.items if i.end <= ts and re.fullmatch(r"\s*", self.text[i.end:ts])]
        if not prev:
            return False
        items = [prev[-1]]
        if trig in ("aid",) and items[0].category not in ("weapons", "food", "money"):
            return False
        sup = self._actor_after(s, te, c_hi, "from|by")
        rec = self._actor_after(s, te, c_hi, "to|for|into")
        poss = self._possessive_before(s, items[0].start)
        supplier = sup.id if sup else (poss.id if poss else None)
        recipient = rec.id if rec else None
        if supplier is None:
            subj = self._left_actor(s, masked, c_lo, items[0].start)
            if subj and re.search(r"\b(?:consider\w*|plan\w*|approv\w*|clear\w*|announc\w*|promis\w*|pledg\w*|"
                                  r"prepar\w*|authori[sz]\w*|discuss\w*|resum\w*|continu\w*|began|"
                                  r"begin\w*|start\w*|increas\w*|step\w*\s+up|boost\w*)\b",
                                  self.text[subj.end:items[0].start], re.I):
                supplier = subj.id
        pre_lo = supplier and c_lo or c_lo
        (f.supplier, f.recipient, f.items, f.pre_lo) = (
            supplier, recipient, items, pre_lo)
        return True

    def _frame_package(self, f: Frame) -> bool:
        s, masked, relative, ts, te, c_lo, c_hi, trig = (
            f.s, f.masked, f.relative, f.ts, f.te, f.c_lo, f.c_hi, f.trig)
        supplier, recipient, items, pre_lo, inherit_status, salient = (
            f.supplier, f.recipient, f.items, f.pre_lo, f.inherit_status, f.salient)
        # "X announced a $425 million package for Y that includes Z"
        deal_noun = not trig.endswith("package")  # "The deal also covers ...", "The pact provides for ..."
        rec = self._actor_after(s, te, c_hi if deal_noun else min(c_hi, te + 40), "to|for")
        incl = re.match(r"\s*:\s*", self.text[te:s.end]) or \
            re.match(r"(?:[^.;]|(?<=\d)\.(?=\d)){0,30}?\b(?:that\s+|which\s+)?(?:includ(?:es|ed|ing)|"
                        r"contain(?:s|ed|ing)|compris(?:es|ed|ing)|with|cover(?:s|ed)?|provid(?:es|ed)\s+for|"
                        r"includ(?:e|es|ed)|foresees?|envisag(?:es|ed)|envisions?|calls?\s+for)\b",
                        self.text[te:c_hi]) or \
            (_RELATIVE_CONTENTS.match(self.text[te:s.end]) if relative else None) or \
            re.match(r",\s+(?:valued|worth|priced|estimated)\b(?:[^.;]|(?<=\d)\.(?=\d)){0,40}?,\s+(?:also\s+)?"
                     r"(?:includ(?:es|ed)|cover(?:s|ed)?|compris(?:es|ed))\b", self.text[te:s.end]) or \
            re.match(r",\s+(?:signed|agreed|concluded|awarded|announced|finali[sz]ed|sealed)\b[^.;]{0,100}?,\s+"
                     r"(?:also\s+)?(?:includ(?:es|ed)|cover(?:s|ed)?|compris(?:es|ed))\b", self.text[te:s.end])
        anaphor = None
        if rec is None and incl and (re.search(r"(?:^|\W)(?:(?:the|this|that)\s+(?:[\w-]+\s+){0,2}|"
                                               r"an?\s+(?:first|second|third|earlier|previous|separate|"
                                               r"further)\s+(?:[\w-]+\s+)?)$",
                                               self.text[c_lo:ts], re.I) or
                                    trig in ("notice", "notices", "case", "cases") or incl.group(0).strip() == ":"):
            # "The package includes four radars, 100 missiles ...": the sale of the sentence before
            anaphor = next((t for t in reversed(self.transfers) if s.index - t.sent.index in (1, 2)
                            and t.supplier and t.recipient), None)
            if anaphor is None:
                # "the framework agreement Warsaw and Seoul signed in 2022, which foresees ...": the latest
                # transfer between the two states the sentence names
                named = {self.actor_id(a.entity) for a in s.actors if a.end <= te + incl.end()}
                anaphor = next((t for t in reversed(self.transfers) if t.supplier in named
                                and t.recipient in named and t.supplier != t.recipient), None)
        if deal_noun and anaphor is None and rec is None:
            return False  # "The deal also covers ...": only after a transfer (or with "for X")
        backer = None
        if anaphor is None and rec is None and incl and re.search(
                r"(?:^|\W)(?:the|this|that)\s+(?:[\w-]+\s+){0,2}$", self.text[c_lo:ts], re.I):
            # "Scholz announced a new aid package. ... Scholz said the package includes 36 howitzers":
            # from whoever announced it, for the article's counterpart
            backer = self._package_backer(s, ts)
        if rec is None and anaphor is None and backer is None and not (incl and re.search(
                r"\b(?:announc|approv|unveil|pledg|promis|authori[sz]|sign|provid|send|sent|prepar)\w*\s+"
                r"(?:(?:a|an|the|its|their|another|new|fresh|latest|further)\s+)[^.;,]{0,40}$",
                self.text[c_lo:ts], re.I)):
            return False
        if anaphor is not None or backer is not None:
            inherit_status = anaphor.status if anaphor is not None else "promised"
            if trig.startswith("contract") and inherit_status == "planned" and not re.search(
                    r"\b(?:proposed|possible|planned|potential|future)\s+(?:[\w-]+\s+)?$",
                    self.text[c_lo:ts], re.I):
                inherit_status = "ordered"  # "The first executive contract covered 180 K2s": signed
            if re.match(r"(?:[^.;]|(?<=\d)\.(?=\d)){0,80}?\b(?:foresees?|envisag(?:es|ed)|envisions?|"
                        r"calls?\s+for)\b",
                        self.text[te:s.end]):
                inherit_status = "planned"  # "a framework agreement which foresees up to 1,000 tanks"
            ante_cat = anaphor.item.category if anaphor is not None else None
            supplier, recipient = (anaphor.supplier, anaphor.recipient) if anaphor is not None \
                else (backer, None)
            items = [i for i in self._items_between(s, te + incl.end(), s.end)
                     if not re.search(r"[;]|\.\s", self.text[te:i.start]) and not self._own_buyer_after(s, i)]
            if ante_cat == "air_defense":  # "the package (of a NASAMS sale) includes 100 AMRAAM missiles"
                items = [Item(i.start, i.end, i.text, "air_defense", i.system) if i.category == "missiles"
                         else i for i in items]
            if ante_cat == "weapons":  # "the K9 deal also covers ammunition": shells for the guns
                items = [Item(i.start, i.end, i.text, "artillery_ammunition", i.system)
                         if re.fullmatch(r"(?:ammunition|munitions)", i.text, re.I) else i for i in items]
            pre_lo = c_lo
        else:
            recipient = rec.id if rec else None
            poss = self._possessive_before(s, ts)
            subj = poss or self._left_actor(s, masked, c_lo, ts)
            supplier = subj.id if subj else None
            lo_items = te + incl.end() if incl else te
            if rec is not None and rec.start > lo_items:
                # "Baykar's order book also includes 12 TB2 drones for Kenya"
                items = self._items_between(s, lo_items, rec.start)
            else:
                items = [i for i in self._items_between(s, rec.end if rec else lo_items, s.end)
                         if not re.search(r"[;]|\.\s", self.text[te:i.start])]
            if deal_noun:
                inherit_status = "ordered"
            pre_lo = subj.end if subj else c_lo
        salient = True
        (f.supplier, f.recipient, f.items, f.pre_lo, f.inherit_status, f.salient) = (
            supplier, recipient, items, pre_lo, inherit_status, salient)
        return True

    def _frame_help(self, f: Frame) -> bool:
        s, masked, ts, te, c_lo, c_hi = (
            f.s, f.masked, f.ts, f.te, f.c_lo, f.c_hi)
        supplier, recipient, items, pre_lo = (
            f.supplier, f.recipient, f.items, f.pre_lo)
        # "Iran helped Moscow build a drone factory": production know-how for the helped party
        subj = self._left_actor(s, masked, c_lo, ts) or self._pronoun_subject(s, c_lo, ts) or \
            self._elided_subject(s, masked, c_lo)
        supplier = subj.id if subj else None
        rec = next((a for a in s.actors if te < a.start <= te + 2 and a.kind != "demonym"), None)
        recipient = rec.id if rec else None
        hm = HELP_ITEM.search(self.text, rec.end if rec else te, c_hi)
        if hm is None:
            return False
        items = [Item(hm.start("item"), hm.end("item"), hm.group("item"), "technology")]
        pre_lo = subj.end if subj and subj.end <= ts else c_lo
        (f.supplier, f.recipient, f.items, f.pre_lo) = (
            supplier, recipient, items, pre_lo)
        return True

    def _frame_agent(self, f: Frame) -> bool:
        s, masked, ts, te, c_lo, c_hi = (
            f.s, f.masked, f.ts, f.te, f.c_lo, f.c_hi)
        supplier, recipient, items, pre_lo, salient = (
            f.supplier, f.recipient, f.items, f.pre_lo, f.salient)
        # "China is the top supplier of machine tools ... to Russia": the subject supplies
        subj = self._left_actor(s, masked, c_lo, ts)
        if subj is None or not re.search(r"\b(?:is|are|was|were|has\s+been|have\s+been|became|"
                                         r"become|remains?|remained)\b", self.text[subj.end:ts]):
            return False
        supplier = subj.id
        rec = self._actor_after(s, te, c_hi, "to|for")
        if rec is None:
            # "Beijing is also the army's main supplier of tanks": a force with no country
            force = re.search(r"\bthe\s+(?:army|navy|air\s+force|military|armed\s+forces)['’]s\s+"
                              r"(?:[\w-]+\s+){0,3}$", self.text[subj.end:ts], re.I)
            if force:
                home = self._home_force(s, subj.end + force.start(), ts, possessive=True)
                rec = home
        recipient = rec.id if rec else None
        items = self._items_between(s, te, rec.start if rec and rec.start > te else c_hi)
        pre_lo = subj.end
        salient = True
        (f.supplier, f.recipient, f.items, f.pre_lo, f.salient) = (
            supplier, recipient, items, pre_lo, salient)
        return True

    def _frame_noun(self, f: Frame) -> bool:
        s, masked, ts, te, c_lo, c_hi, trig = (
            f.s, f.masked, f.ts, f.te, f.c_lo, f.c_hi, f.trig)
        supplier, recipient, items, pre_lo, inherit_status = (
            f.supplier, f.recipient, f.items, f.pre_lo, f.inherit_status)
        rec = self._actor_after(s, te, c_hi, "to|for|into") or self._actor_after(s, ts, te, "to")
        sup = self._actor_after(s, te, c_hi, "from|by")
        poss = self._possessive_before(s, ts)
        items = self._items_between(s, te, rec.start if rec else c_hi)
        if not items:
            items = self._items_between(s, te, c_hi)
        supplier = sup.id if sup else (poss.id if poss else None)
        recipient = rec.id if rec else None
        if recipient is None and items:
            # "Deliveries of Taiwan's 66 new F-16 fighters": the possessor of what is delivered receives it
            owner = next((a for a in s.actors if te <= a.start and a.end <= items[0].start and
                          a.id.startswith("country:") and a.kind not in ("demonym", "demonym_group") and
                          re.match(r"['’]s\s", self.text[a.end:a.end + 3])), None)
            if owner is not None and owner.id != supplier:
                recipient = owner.id
        if trig.startswith(("arrival", "influx", "purchase", "import", "acquisition")):
            subj = self._left_actor(s, masked, c_lo, ts)
            if recipient is None and subj and trig.startswith(("purchase", "import", "acquisition")):
                recipient = subj.id
            if recipient is None and trig.startswith(("purchase", "acquisition")) and re.search(
                    r"\b(?:its|their)\s+(?:[\w-]+\s+){0,2}$", self.text[c_lo:ts], re.I):
                # "the ministry said the Rafales would complement its planned purchase of 50 F-35s"
                head = next((a for a in s.actors if a.start < ts and a.kind != "demonym" and not
                             _PREP_BEFORE.search(s.text[max(0, a.start - s.start - 25):a.start - s.start])),
                            None)
                recipient = head.id if head else None
            if recipient is None and trig.startswith(("arrival", "influx")):
                recipient = None
        elif supplier is None:
            subj = self._left_actor(s, masked, c_lo, ts)
            if subj and re.search(r"\b(?:consider\w*|plan\w*|approv\w*|clear\w*|announc\w*|promis\w*|pledg\w*|"
                                  r"prepar\w*|authori[sz]\w*|discuss\w*|resum\w*|continu\w*|began|"
                                  r"begin\w*|start\w*|complet\w*|confirm\w*|order\w*)\b",
                                  self.text[subj.end:ts], re.I):
                supplier = subj.id
        if supplier is None and recipient is None and items and re.search(
                r"\bsign\w*\s+(?:an?\s+|the\s+)?(?:[\w$€£.,-]+\s+){0,6}?(?:contract|deal|agreement)s?\b[^.;]{0,40}$",
                self.text[c_lo:ts], re.I):
            # "Moscow and Tehran had signed a contract for the supply of the Fath-360": the maker's side
            # supplies the other signatory
            signers = [a for a in s.actors if c_lo <= a.start < ts and a.kind != "demonym"
                       and a.id.startswith("country:")]
            maker = self._maker(items[0])
            if maker and len({a.id for a in signers}) == 2 and maker in {a.id for a in signers}:
                supplier = maker
                recipient = next(a.id for a in signers if a.id != maker)
                inherit_status = "ordered"
        if "," in self.text[c_lo:ts]:
            pre_lo = c_lo + self.text[c_lo:ts].rfind(",") + 1
        near = self._left_actor(s, masked, pre_lo, ts, allow_demonym=True)
        if near is not None:
            pre_lo = near.end
        (f.supplier, f.recipient, f.items, f.pre_lo, f.inherit_status) = (
            supplier, recipient, items, pre_lo, inherit_status)
        return True

    def _frame_give(self, f: Frame) -> bool:
        s, m, masked, ts, te, c_lo, c_hi, tstat, trig = (
            f.s, f.m, f.masked, f.ts, f.te, f.c_lo, f.c_hi, f.tstat, f.trig)
        supplier, recipient, items, pre_lo, extra_sup, extra_rec = (
            f.supplier, f.recipient, f.items, f.pre_lo, f.extra_sup, f.extra_rec)
        passive = (not trig.endswith("ing") and tstat != "planned" and re.search(
            r"\b(?:is|are|was|were|been|being|be)\s+(?:\w+ly\s+)?$", self.text[max(c_lo, ts - 30):ts], re.I)
        ) or (
            trig.endswith("ed") or trig in ("sent", "sold", "given", "lent")) and any(
            re.fullmatch(r"\s*", self.text[i.end:ts]) for i in s.items if i.end <= ts)
        if passive:
            left_items = [i for i in s.items if c_lo <= i.start and i.end <= ts]
            if len(left_items) >= 2 and _APPOSITIVE_OF.fullmatch(self.text, left_items[-2].end, left_items[-1].start) \
                    and re.match(r"\s*,", self.text[left_items[-1].end:ts]):
                # "Some 38 M1A2T tanks, a variant of the M1 Abrams, were delivered": the subject before the
                # appositive, not the system it is described by
                left_items = left_items[:-1]
            items = left_items[-1:] if left_items else []
            while items and len(left_items) > len(items):
                prev_item = left_items[-len(items) - 1]
                if re.fullmatch(r"\s*(?:,|and|or)\s*(?:and\s+)?", self.text[prev_item.end:items[0].start]):
                    items.insert(0, prev_item)
                else:
                    break
            if not items and not left_items:
                # "The first 12 were delivered last month": the system just spoken of
                items = self._bare_count(s, c_lo, ts, after=False)
            rec = self._to_recipient(s, te, c_hi)
            sup = self._actor_after(s, te, c_hi, "by|from")
            if not items and rec is None and _DITRANSITIVE.match(trig):
                # "Ukraine was given 31 tanks by the United States", "Fiji and Tonga have each been allotted
                # two": the subject receives what follows the verb
                after = self._items_between(s, te, sup.start if sup else c_hi) or \
                    self._bare_count(s, te, c_hi, after=True)
                subj = self._left_actor(s, masked, c_lo, ts)
                if after and subj is not None:
                    items, rec = after, subj
                    extra_rec = [a.id for a in self._conjuncts(s, subj, False)]
            supplier = sup.id if sup else None
            recipient = rec.id if rec else None
        else:
            if _DEAL_SUBJECT.search(self.text[c_lo:ts]):
                return False  # "The pact provides for ...": the deal's own terms (the package frame)
            accused = re.search(r"\baccus(?:ing|ed|es)\s+(?:it|them)\s+of\s+$", self.text[c_lo:ts])
            subj = (self._pronoun_subject(s, c_lo + accused.start(), ts) if accused else None) or \
                self._left_actor(s, masked, c_lo, ts) or self._pronoun_subject(s, c_lo, ts) or \
                self._elided_subject(s, masked, c_lo)
            if subj is not None and subj.start > c_lo and re.search(
                    r"\b(?:with|to)\b[^,;]*\band\s+(?:(?:has|have|had|also|then|later|would|will)\s+)*$",
                    self.text[subj.end:ts]):
                # "Moscow has been helping the North with satellite technology and has sent it food": the
                # second verb's subject is the first verb's, not its object
                first = self._left_actor(s, masked, c_lo, subj.start)
                if first is not None and first.id != subj.id:
                    subj = first
            if subj is None:
                # "The ammunition initiative run by the Czech Republic delivered ...": the state running it
                subj = self._actor_after(s, c_lo, ts, r"(?:run|led|organi[sz]ed|financed|funded|coordinated|"
                                                      r"managed)\s+by")
                if subj is not None and (not subj.id.startswith("country:") or
                                         re.search(r"[,;]", self.text[subj.end:ts])):
                    subj = None
            if subj is None and _SCHEME_SUBJECT.search(self.text, c_lo, ts):
                # "the scheme had supplied 1.5 million rounds": the programme spoken of, whose giver was named
                # before (its last transfer's supplier, six sentences back at most)
                prior = next((t for t in reversed(self.transfers) if t.supplier and t.recipient and
                              0 < s.index - t.sent.index <= 6), None)
                if prior is not None:
                    subj = Actor(ts, ts, prior.supplier, prior.supplier, "scheme")  # (no "to X": context gives it)
            if subj is None:
                # "The Spanish shipyard Cardama is building ...": a firm the catalogue lacks, by its demonym
                subj = next((a for a in s.actors if c_lo <= a.start and a.end <= ts and
                             a.kind in ("demonym", "demonym_group") and
                             _FIRM_AFTER_DEMONYM.match(self.text, a.end) and
                             not _PREP_BEFORE.search(self.text[max(c_lo, a.start - 25):a.start])), None)
            supplier = subj.id if subj else None
            if subj is not None and subj in s.actors and c_lo <= subj.start:
                extra_sup = [a.id for a in self._conjuncts(s, subj, False)]
            pre_lo = subj.end if subj and subj.end <= ts and subj.start >= s.start else c_lo
            direct = self._direct_object_actor(s, te, c_hi)
            if tstat == "planned" and re.search(r"talks\s+with|negotiat", trig):
                # one planned transfer per named party: "in talks with several countries including A and B"
                first_item = next((i for i in self._items_between(s, te, s.end)), None)
                hi = first_item.start if first_item else c_hi
                parties = [a for a in s.actors if te <= a.start < hi and a.kind != "demonym"
                           and a.id.startswith("country:")]
                parties = [a for k, a in enumerate(parties) if a.id not in {p.id for p in parties[:k]}]
                recipient = parties[0].id if parties else None
                extra_rec = [a.id for a in parties[1:]]
                items = [i for i in self._items_between(s, te, s.end) if not re.search(
                    r"[;]|\.\s", self.text[te:i.start])][:1]
                last = self.last_system_item
                if not items and last is not None and subj is not None and self._maker(last) == subj.id \
                        and parties:
                    # "BrahMos Aerospace is in talks with Indonesia and Vietnam": the maker's system
                    items = [Item(ts, te, m.group(0), last.category, last.system)]
                maker = self._maker(items[0]) if items else None
                buyer_asks = bool(parties) and re.match(
                    r"\s+(?:for|over\s+(?:the\s+)?(?:purchase|acquisition|sale)\s+of|to\s+(?:buy|acquire|purchase)|"
                    r"on\s+(?:buying|acquiring|the\s+purchase\s+of))\b", self.text[parties[0].end:c_hi])
                if subj is not None and len(parties) == 1 and not subj.entity.startswith("org:") and \
                        maker != subj.id and (maker is None or maker == parties[0].id or buyer_asks):
                    # the buyer talks with the maker: "Indonesia has held talks with Washington on the F-15EX"
                    supplier, recipient, extra_sup = parties[0].id, subj.id, []
            elif trig.endswith("ing") and re.search(r",\s*$", self.text[max(s.start, ts - 3):ts]) and \
                    re.match(r"\s+(?:it|them)\b", self.text[te:te + 6]):
                # "Israel has been Azerbaijan's main supplier, selling it Barak-8 systems": the sentence's
                # subject gives to the other party named before the comma
                before = [a for a in s.actors if a.end <= ts and a.kind != "demonym"]
                head = next((a for a in before if not _PREP_BEFORE.search(
                    s.text[max(0, a.start - s.start - 25):a.start - s.start])), None)
                other = next((a for a in reversed(before) if head is not None and a.id != head.id
                              and a.id.startswith("country:")), None)
                if head is None or other is None:
                    return False
                supplier, recipient, extra_sup = head.id, other.id, []
                items = self._items_between(s, te, c_hi)
            elif direct is not None:
                recipient = direct.id
                items = self._items_between(s, direct.end, c_hi)
            else:
                rec = self._to_recipient(s, te, c_hi) or self._actor_after(
                    s, te, min(s.end, c_hi + 40), r"to\s+(?:fight|serve)\s+(?:alongside|for|with)") or \
                    self._actor_after(s, te, s.end, r"(?:that\s+|which\s+)?(?:it|they|he|she|[A-Z][\w.]+)\s+"
                                      r"(?:had\s+|has\s+|have\s+)?(?:promised|pledged|owed|offered)(?:\s+to)?")
                # ("sent the last of the 24 F-16 jets it promised Ukraine": the one they were promised to)
                if rec is None and re.match(r"provid|offer|suppl|deliver|send|sent|build|built|la(?:y|id)|cut",
                                            trig):
                    rec = self._actor_after(s, te, c_hi, r"(?:stride|help|use|benefit)?\s*for")
                    if rec is not None and not rec.id.startswith("country:"):
                        rec = None
                if rec is None and re.match(r"deploy|station|send|sent|dispatch", trig):
                    rec = self._actor_after(s, te, c_hi, "in")  # "deployed 1,000 fighters ... in Mali"
                    if rec is not None and not rec.id.startswith("country:"):
                        rec = None
                recipient = rec.id if rec else None
                if rec is not None:
                    extra_rec = [a.id for a in self._conjuncts(s, rec, True) if a.start < c_hi]
                items = self._items_between(s, te, rec.start if rec else c_hi) or \
                    self._items_between(s, te, c_hi) or self._bare_count(s, te, c_hi, after=True)
        (f.supplier, f.recipient, f.items, f.pre_lo, f.extra_sup, f.extra_rec) = (
            supplier, recipient, items, pre_lo, extra_sup, extra_rec)
        return True

    def _frame_recv(self, f: Frame) -> bool:
        s, masked, ts, te, c_lo, c_hi, tstat, trig, sent_transfers = (
            f.s, f.masked, f.ts, f.te, f.c_lo, f.c_hi, f.tstat, f.trig, f.sent_transfers)
        supplier, recipient, items, pre_lo, extra_sup, extra_rec = (
            f.supplier, f.recipient, f.items, f.pre_lo, f.extra_sup, f.extra_rec)
        if sent_transfers and trig.startswith(("order", "deal", "contract")) and _APPOSITIVE_DEAL.search(
                self.text, max(s.start, ts - 50), ts):
            return False  # "..., the first new order for Typhoons since 2017": the deal just reported, described
        if re.match(r"(?:hold|has|have|had|took|taken|tak)\w*\s+(?:an?\s+)?options?\s+(?:on|for)$", trig) and not any(
                t.supplier and t.recipient and 0 <= s.index - t.sent.index <= 3
                for t in self.transfers + sent_transfers):
            return False  # "holds options on two more": more of an order just reported, else nothing
        if _OWN_INDUSTRY.search(self.text, te, c_hi):
            return False  # "is buying IRIS-T SLM systems from its own industry": domestic procurement
        # "The jets were bought from Jordan by the United States": a passive buyer after "by"
        passive_left = [i for i in s.items if c_lo <= i.start and i.end <= ts and re.fullmatch(
            r"\s+(?:(?:had|has|have)\s+)?(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?", self.text[i.end:ts])] \
            if re.match(r"(?:bought|purchased|acquired|ordered|procured|imported)$", trig) else []
        by_buyer = self._actor_after(s, te, c_hi, "by") if passive_left else None
        # "a review of Canada's 2022 decision to buy 88 F-35s": the one whose decision it is
        subj = by_buyer or next((a for a in s.actors if a.end <= ts and a.id.startswith("country:") and
                                 _DECISION_TO.fullmatch(self.text, a.end, ts)), None) or \
            self._left_actor(s, masked, c_lo, ts) or self._pronoun_subject(s, c_lo, ts) or \
            self._home_force(s, c_lo, ts)
        recipient = subj.id if subj else None
        if subj is not None and subj in s.actors and c_lo <= subj.start:
            extra_rec = [a.id for a in self._conjuncts(s, subj, False)]  # "Estonia and Latvia ordered"
        pre_lo = subj.end if subj and subj.end <= ts and subj.start >= s.start else c_lo
        sup = self._actor_after(s, te, c_hi, "from") or self._actor_after(
            s, te, c_hi, r"from\s+(?:an?\s+|the\s+)?(?:consortium|coalition|group|club|alliance)\s+of")
        if sup is None and tstat == "requested":
            sup = self._actor_after(s, te, c_hi, "through")  # "sought financing through X's bank"
        if sup is None and tstat in ("ordered", "planned") and re.match(
                r"(?:sign|plac|ink|seal|clinch|finali|conclu|str|reach)", trig):
            sup = self._actor_after(s, te, c_hi, "with")  # "signed a contract with Sweden's Saab"
            if sup is not None and subj is not None and (subj.start >= c_lo or subj in s.actors) and (
                    re.match(r"\s*(?:\S+\s+){0,8}?to\s+(?:supply|deliver|sell|export|provide|build)\b",
                             self.text[sup.end:c_hi], re.I)
                    or (subj.entity.startswith("org:") and not sup.entity.startswith("org:"))
                    or (sup.id.startswith("country:") and any(
                        self._maker(i) == subj.id for i in s.items if te <= i.start and i.system))):
                # the seller signed: "KAI signed a contract with the Philippine defence department
                # to supply 12 FA-50s"; "Israel signed a contract with Germany to expand its purchase of
                # the Arrow 3" (the system's maker sells)
                subj, sup = sup, subj
                recipient = subj.id
                extra_rec = []
        if sup is None:
            # "from Danish stocks", "from South Korean industry": a demonym's stocks or makers
            sup = next((a for a in s.actors if te <= a.start < c_hi and a.kind in ("demonym", "demonym_group")
                        and re.search(r"\bfrom\s+(?:the\s+)?$", self.text[max(te, a.start - 12):a.start])
                        and re.match(r"\s+(?:military\s+|army\s+|air\s+force\s+|surplus\s+|defen[cs]e\s+)?"
                                     r"(?:stocks?|stockpiles?|inventor(?:y|ies)|surplus|reserves|arsenals?|"
                                     r"industry|firms?|compan(?:y|ies)|manufacturers?|makers?|shipyards?|"
                                     r"government|army|air\s+force|navy|fleet)\b",
                                     self.text[a.end:a.end + 30])), None)
        if sup is None:
            sup = self._actor_after(s, te, c_hi, _MAKER_PREPS)  # "VT-4 tanks made by China's NORINCO"
        if sup is None and tstat in ("ordered", "planned", "delivered"):
            # "ordered 28 Typhoons under an intergovernmental agreement with Italy": the other signatory
            sup = self._actor_after(s, te, c_hi, _DEAL_WITH)
            if sup is not None and (sup.id == recipient or not sup.id.startswith(("country:", "org:"))):
                sup = None
        if sup is None and re.match(r"(?:sent|send|submit|issu|made|make|hand)", trig) and "request" not in trig:
            # "It sent France a request for information on 24 Rafale fighters": the one asked
            sup = next((a for a in s.actors if te <= a.start < te + 12 and a.kind != "demonym"), None)
        if sup is None and re.search(r"\brequests?\b|\blo?rs?\b", trig):
            sup = self._actor_after(s, ts, c_hi, "to")  # "submitted a letter of request to Washington for"
        if sup is None and re.match(r"(?:look|turn|ask|urg|press)", trig):
            sup = next((a for a in s.actors if te <= a.start < te + 12 and a.kind != "demonym"), None)
        if sup is not None and subj is None and trig.startswith("order") and re.search(
                r"\b(?:it|they)\s+(?:had\s+|has\s+|have\s+)?(?:won|secured|landed|clinched|bagged)\b",
                self.text[c_lo:ts]):
            # "LIG Nex1 said it had won an order from Iraq": the speaker before the clause
            subj = next((a for a in reversed(s.actors) if a.end <= c_lo and a.entity.startswith("org:")), None)
        if sup is not None and subj is not None and trig.startswith("order") and re.search(
                r"\b(?:won|wins|win|winning|secured|secures|landed|lands|clinched|bagged)\s+(?:an?\s+|the\s+|"
                r"its\s+)?(?:[\w$€£.,()-]+\s+){0,8}$", self.text[c_lo:ts], re.I):
            # the seller won the order: "Hanwha Aerospace won a $1 billion order from Romania for 54 K9s"
            subj, sup = sup, subj
            recipient, extra_rec = subj.id, []
        if sup is None:
            w = self._actor_after(s, c_lo, ts, "with")
            if w is not None:
                sup = w
        if sup is None:
            # "North Korean support in weapons", "Russia's help"
            first_item = next((i for i in s.items if te <= i.start < c_hi), None)
            for a in s.actors:
                if te <= a.start and (first_item is None or a.end <= first_item.start) and a.end <= c_hi:
                    if re.match(r"(?:['’]s)?\s+(?:support|help|assistance|backing|aid)\b",
                                self.text[a.end:a.end + 20], re.I):
                        sup = a
                        break
        supplier = sup.id if sup else None
        if sup is not None and sup.start > te and sup in s.actors:
            # "received F-16 jets from Denmark and the Netherlands": each a supplier
            # ("from a consortium of Germany, Denmark and the Netherlands": a list that ends the phrase)
            conj = [a for a in self._conjuncts(s, sup, True) if a.start < c_hi]
            whole = bool(conj) and _LIST_END.match(self.text, conj[-1].end) is not None
            extra_sup = [a.id for a in conj if whole or "," not in self.text[sup.end:a.start]]
        items = self._items_between(s, te, c_hi) if by_buyer is None else passive_left[-1:]
        if not items and subj is not None and subj.start >= s.start:
            # "the machine tools that Russia imported (came from China)": the head of the relative clause
            head = [i for i in s.items if i.end <= subj.start and
                    re.fullmatch(r"\s+(?:(?:that|which)\s+)?(?:the\s+)?", self.text[i.end:subj.start])]
            if head:
                items = head
                sup = sup or self._actor_after(s, te, s.end, "from")
                supplier = sup.id if sup else None
        bare = re.match(r"\s+(?:(?:only|just|some|about)\s+)?(\d[\d,]*|one|two|three|four|five|six|seven|eight|"
                        r"nine|ten|eleven|twelve|a\s+dozen|dozens)\b(?!\s+[a-z]+s\b)"
                        r"(?=\s*(?:more\b|of\s+(?:them|those|these|the)\b|[.,;)]|$|\s+(?:in|on|last|this|next|"
                        r"from|by|earlier|later|so\s+far|and|but)\b))", self.text[te:c_hi])
        if not items and bare and self.last_system_item is not None:
            last = self.last_system_item
            items = [Item(te + bare.start(1), te + bare.end(1), bare.group(1), last.category, last.system)]
        nth = None if items or self.last_system_item is None else (
            _NTH_OF_THEM.match(self.text, te, c_hi) or _ITS_FIRST.match(self.text, te, c_hi))
        if nth:
            # "took delivery of the first of them", "received the first four of them": the system spoken of
            last = self.last_system_item
            g = "n" if nth.group("n") else "them"
            items = [Item(nth.start(g), nth.end(g), nth.group(g), last.category, last.system)]
        if sup is not None and sup.start > te:
            # "received 30 launchers from X" / "received from X 30 launchers"
            items = [i for i in items if i.end <= sup.start] or [i for i in items if i.start > sup.start] \
                or items
        if supplier is None and items and tstat in ("ordered", "delivered", "planned"):
            poss = self._possessive_before(s, items[0].start)  # "chosen ... Japan's Mogami-class frigate"
            if poss is not None and poss.id.startswith("country:") and poss.id != recipient:
                supplier = poss.id
        if supplier is None and items:
            # "received Leopard 2A4 tanks that Portugal had donated": the giver of the relative clause
            giver = next((a for a in s.actors if a.start >= items[-1].end and a.kind != "demonym" and
                          re.fullmatch(r"\s+(?:that|which)\s+(?:the\s+)?", self.text[items[-1].end:a.start]) and
                          _GAVE_AFTER.match(self.text, a.end)), None)
            if giver is not None and giver.id != recipient:
                supplier = giver.id
        if supplier is None and items:
            # "will buy 32 ex-Norwegian F-16 fighters", "Danish F-16s": the state named on the item, before
            # its maker's (a used system comes from its last owner)
            owns = {self._origin(s, i) for i in items}
            own = owns.pop() if len(owns) == 1 else None
            if own is not None and own != recipient:
                supplier = own  # (items of several origins: each its own, below)
        if supplier is None and (tstat in ("ordered", "delivered", "planned") or trig.startswith("receiv")):
            # a buyer's or receiver's verb: the maker's country supplies ("bought Patriot batteries",
            # "took delivery of the Akinci", "received the first HIMARS launchers")
            for it in items:
                if it.system:
                    maker = self.g.country_of(self.g.entities[it.system].parent) \
                        if it.system in self.g.entities else None
                    if maker and maker != recipient:
                        supplier = maker
                        f.by_maker = True  # (each named system its own maker's: frames.py)
                        break
        (f.supplier, f.recipient, f.items, f.pre_lo, f.extra_sup, f.extra_rec) = (
            supplier, recipient, items, pre_lo, extra_sup, extra_rec)
        return True

    def _frame_use(self, f: Frame) -> bool:
        s, masked, ts, te, c_lo, c_hi = (
            f.s, f.masked, f.ts, f.te, f.c_lo, f.c_hi)
        supplier, recipient, items, pre_lo = (
            f.supplier, f.recipient, f.items, f.pre_lo)
        # "Russian forces used North Korean missiles": the maker's country supplied the user. The thing used is
        # the object right after the verb ("fired air-to-air missiles that brought down Indian aircraft": the
        # aircraft are the target), and something spent (a missile, a shell, a drone), not the user's own
        # platform ("used Chinese-made J-10C fighters to shoot down": an air force flying its fleet)
        after_items = [i for i in self._items_between(s, te, c_hi)][:1]
        after_items = [i for i in after_items if self._origin(s, i) and i.category not in _PLATFORMS]
        before = [i for i in s.items if c_lo <= i.start and i.end <= ts and
                  re.fullmatch(r"\s*(?:(?:were|was|being|been|are|is)\s+)?", self.text[i.end:ts])
                  and self._origin(s, i) and i.category not in _PLATFORMS]
        if after_items:
            items = after_items[:1]
            subj = self._left_actor(s, masked, c_lo, ts)
            recipient = subj.id if subj else None
        elif before:
            items = before[-1:]
            recipient = None
        else:
            return False
        items = [i for i in items if is_weapon(i.category)]
        supplier = self._origin(s, items[0]) if items else None
        if supplier is None or supplier == recipient:
            return False
        pre_lo = c_lo
        (f.supplier, f.recipient, f.items, f.pre_lo) = (
            supplier, recipient, items, pre_lo)
        return True

    def _frame_contain(self, f: Frame) -> bool:
        s, ts, te, c_lo, c_hi = (
            f.s, f.ts, f.te, f.c_lo, f.c_hi)
        supplier, recipient, items, pre_lo, inherit_status, salient = (
            f.supplier, f.recipient, f.items, f.pre_lo, f.inherit_status, f.salient)
        # "These could contain up to 4.8 million shells": the parties of the thing referred to
        own = _GIVERS_AID.search(self.text, c_lo, ts)
        if own is None and not re.search(r"(?:^|\W)(?:these|they|those|it|this|the\s+\w+)\s+(?:\w+\s+){0,3}$",
                                         self.text[c_lo:ts], re.I):
            return False
        prev = [t for t in self.transfers if s.index - t.sent.index in (1, 2)]
        # "It includes: four HIMARS launchers; 12 M777 howitzers; ...": a list after a colon runs to the
        # sentence's end, past its semicolons
        hi = s.end if re.match(r"\s*(?:the\s+following\s*)?:", self.text[te:te + 20]) else c_hi
        items = [i for i in self._items_between(s, te, hi) if not self._own_buyer_after(s, i)]
        if not items:
            return False
        if own is not None:
            # "Germany's latest aid to Ukraine consists of three IRIS-T SLM systems, ...": the giver's, for
            # the one it is to
            giver = next((a for a in s.actors if a.start == own.start("g") and a.id.startswith("country:")),
                         None)
            to = next((a for a in s.actors if a.start == own.start("r") and a.id.startswith("country:")),
                      None)
            if giver is None or to is None or giver.id == to.id:
                return False
            supplier, recipient, inherit_status = giver.id, to.id, "promised"
        elif prev:
            supplier, recipient = prev[-1].supplier, prev[-1].recipient
            inherit_status = prev[-1].status
            if prev[-1].item.category == "air_defense":
                # "The package includes ... 100 AMRAAM missiles" after a NASAMS sale: its interceptors
                items = [Item(i.start, i.end, i.text, "air_defense", i.system) if i.category == "missiles"
                         else i for i in items]
        else:
            # "Washington announced a new package for Ukraine. It contains 12 howitzers, ...": the
            # package's backer gives, to the one it is for
            supplier = self._package_backer(s, ts)
            if supplier is None:
                return False
            recipient = self._package_recipient(s)
            inherit_status = "promised"
        salient = recipient is None  # "the package includes ...": for the article's counterpart
        pre_lo = c_lo
        (f.supplier, f.recipient, f.items, f.pre_lo, f.inherit_status, f.salient) = (
            supplier, recipient, items, pre_lo, inherit_status, salient)
        return True

    def _frame_move(self, f: Frame) -> bool:
        s, m, ts, te, c_lo, c_hi = (
            f.s, f.m, f.ts, f.te, f.c_lo, f.c_hi)
        supplier, recipient, items, pre_lo = (
            f.supplier, f.recipient, f.items, f.pre_lo)
        sup = self._actor_after(s, c_lo, c_hi, "from")
        if sup is None:
            # "landed at the base after a ferry flight from Italy": the journey's start, past the clause
            sup = self._actor_after(s, te, s.end, r"(?:flights?|voyage|journey|trip|passage|transit)\s+from"
                                                  r"(?:\s+(?-i:[A-Z])[\w-]+(?:\s+(?-i:[A-Z])[\w-]+)?\s+in)?")
        if sup is None:
            # "ending a ferry flight of more than a week that began at Skrydstrup in Denmark"
            began = _JOURNEY_BEGAN.search(self.text, te, s.end)
            sup = next((a for a in s.actors if began and a.start == began.end() and a.id.startswith("country:")),
                       None)
        rec = self._actor_after(s, te, c_hi, "to|into|in|for")
        if rec is not None and sup is not None and rec.id == sup.id:
            rec = None  # "touched down at Rio Cuarto ..., a flight that began at Skrydstrup in Denmark": the start
        if rec is not None and _AT_PLACE.match(self.text, te) and \
                re.search(r",\s+(?:and|but|while)\b|;", self.text[te:rec.start]):
            rec = None  # "landed at Ben Guerir air base ..., and one was lost ... in Yemen": the base's state
        if rec is None and re.search(r"(?:enter|cross|reach)\w*$", m.group(0), re.I):
            # "thousands of labourers had entered Russia": the object is where they went
            rec = next((a for a in s.actors if te <= a.start <= te + 6 and a.kind not in ("demonym",)), None)
        when = re.match(r"(?:\s+(?:safely|successfully))?(?:\s+(?:on|late|early)\s+(?:on\s+)?[A-Z]?[a-z]+)?"
                        r"(?=\s+(?:at|in)\b)", self.text[te:te + 40])
        at_place = _AT_PLACE.match(self.text, te + (when.end() if when else 0)) if rec is None else None
        if at_place:
            # "docked at the Polish port of Gdynia": the state the demonym names
            rec = next((a for a in s.actors if te <= a.start < at_place.end() and a.id.startswith("country:")
                        and a.kind in ("demonym", "demonym_group")), None)
        if rec is None and at_place:
            # "landed at Ali Al Salem air base", "were unloaded at the port of Gdynia": a place of
            # the state the article is about (its main recipient so far, else its dateline)
            home = self._home_state()
            if home:
                rec = Actor(te, te, home, home, "place")
        # the thing that moves is the subject right before the verb ("the missiles arrived in")
        left_items = [i for i in s.items if c_lo <= i.start and i.end <= ts and
                      not re.search(r"[,;]|\b(?:and|but|while)\b",
                                    re.sub(r",\s*,", " ", s.masked[i.end - s.start:ts - s.start]))]
        if not left_items:
            # "The two helicopters, the first of six that Abuja ordered in 2022, arrived": the subject before
            # an appositive that holds a clause of its own
            ap = _SUBJECT_APPOSITIVE.match(self.text, s.start, ts)
            if ap:
                left_items = [i for i in s.items if s.start <= i.start and i.end <= s.start + ap.end("subj")][-1:]
        if not left_items:
            # "..., a jet that arrived by sea from Sweden last month": the relative clause's head
            left_items = [i for i in s.items if i.end <= ts and re.fullmatch(
                r"\s+(?:that|which)\s+(?:had\s+|has\s+|have\s+)?(?:already\s+|finally\s+)?", self.text[i.end:ts])]
        items = left_items[-1:] if left_items else self._items_between(s, te, c_hi)[:1]
        carrying = _CARRYING.search(self.text, c_lo, ts)
        if carrying and left_items:
            # "A cargo ship carrying 24 K9 howitzers and 18 Chunmoo launchers docked at Gdynia": all it carried
            items = [i for i in s.items if carrying.end() <= i.start and i.end <= ts] or items
        cargo_by = None
        if items and _TRANSPORT.search(self.text, max(s.start, items[0].start - 10), min(ts, items[0].end + 20)):
            # "An Indian Air Force C-17 transport plane landed at Clark Air Base with the first batch of BrahMos
            # missiles", "Chinese Y-20 transport planes landed at Belgrade airport carrying batteries of the
            # FK-3": the plane carries the thing delivered; the carrier's state sends it
            cue = _CARGO_AFTER.search(self.text, te, s.end)
            cargo = [i for i in s.items if cue and i.start >= cue.end() and is_weapon(i.category)
                     and not _TRANSPORT.search(i.text)][:2]
            if len(cargo) == 2 and not cargo[0].system and re.fullmatch(r"\s+of\s+(?:the\s+)?",
                                                                        self.text[cargo[0].end:cargo[1].start]):
                cargo = cargo[1:]  # "batteries of the FK-3 surface-to-air missile system": the system
            cargo = cargo[:1]
            if cargo:
                cargo_by = self._origin(s, items[0])
                items = cargo
            # (with nothing carried, the transport planes themselves arrive: "two A400M transport aircraft
            # arrived in Almaty")
        bare = [] if items else self._bare_count(s, c_lo, ts, after=False)
        items = items or bare
        supplier = sup.id if sup else cargo_by
        recipient = rec.id if rec else None
        pre_lo = c_lo
        if supplier is None and bare:
            # "Two of them have arrived": the parties of the last transfer of that system (or of that kind
            # in this sentence: "Denmark, which pledged 19 aircraft, said that 14 of them had arrived")
            prior = next((t for t in reversed(self.transfers) if t.sent is s and t.supplier and t.recipient
                          and t.item.category == bare[0].category), None) or \
                next((t for t in reversed(self.transfers) if t.item.system == bare[0].system
                      and t.supplier and t.recipient), None)
            if prior is not None:
                supplier, recipient = prior.supplier, recipient or prior.recipient
        if supplier is None and items and items[0].system in self.g.entities:
            # "The first IRIS-T system arrived in Ukraine": sent by the maker's country
            maker = self.g.country_of(self.g.entities[items[0].system].parent)
            if maker and maker != recipient:
                supplier = maker
        (f.supplier, f.recipient, f.items, f.pre_lo) = (
            supplier, recipient, items, pre_lo)
        return True
