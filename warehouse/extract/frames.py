"""Stage 3, transfer frames: who gives what to whom, around each trigger word."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .items import Item
from .lexicon import (
    COUNT,
    COUNT_WORDS,
    GROUP_KIND,
    GROUP_NOUNS,
    HELP,
    TRIGGER_RE,
    cues,
    trigger_status,
)
from .model import Actor, Sent, Transfer, is_weapon
from .numbers import find_money, find_quantities

HELP_ITEM = re.compile(r"(?:an?|the|its|their|new)\s+(?P<item>(?:[\w-]+\s+){0,2}(?:factory|factories|plants?|"
                       r"production\s+lines?|assembly\s+lines?|production\s+facilit(?:y|ies)))\b")
_PREP_BEFORE = re.compile(r"\b(?:with|from|to|by|of|for|against|in|on|at|into|between|and|among|toward|"
                          r"towards|over|about|than|like|including|amid|behind|alongside|outside|inside|beyond|across|within|near|around)\s+(?:the\s+)?$",
                          re.IGNORECASE)
_CLAUSE_LEFT = re.compile(r";|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\bthough\b|\bthat\b|\bwhich\b|"
                          r"\bwho\b|\bwhere\b|\bbecause\b|\bsince\b(?=\s+[a-z])|\bif\b|\bwhen\b|"
                          # a colon opens a clause, not a list ("will provide Ukraine with: 18 F-16 jets")
                          r"(?<!\bwith)(?<!\bincludes)(?<!\binclude)(?<!\bincluding)(?<!\bcontains)(?<!\bcomprises):|"
                          r"\b(?:said|says)\b",
                          re.IGNORECASE)
_CLAUSE_RIGHT = re.compile(r";|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\bthough\b|\bwhich\b|\bwho\b|"
                           r"\bwhere\b|\bbecause\b|\bin\s+(?:exchange|return)\b|\bas\s+part\s+of\b|\bfor\s+use\b|"
                           r"\bcompensat\w*|\bin\s+order\s+to\b|"
                           r"\bto\s+(?:integrate|assemble|maintain|service|upgrade|moderni[sz]e)\b|"
                           r",\s+(?:turning|rejecting|declining|dismissing|ruling)\b|,\s+and\s+(?:it|they|he|she|we)\b|"
                           r"\band\s+(?:has|have|had|is|are|was|were|will|would)\s+(?!been\b)|\bso\s+that\b|\bafter\b|\bbefore\b|\bwhen\b|"
                           r"\bif\b|\bto\s+(?:ensure|protect|defend|fight|attack|target|replace|destroy|use)\b|"
                           r"\b(?:said|says)\b|(?<!\bwith)(?<!\bincludes)(?<!\binclude)(?<!\bincluding)(?<!\bcontains)"
                           r"(?<!\bcomprises):|\.\s", re.IGNORECASE)
# the kinds of system that come in batteries or as "systems"
_BATTERY_KINDS = ("air_defense", "missiles", "ballistic_missiles", "weapons", "artillery_ammunition")
_OWN_COUNT = re.compile(r"(?:^|[\s,(])(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                        r"[a-z]+teen|[a-z]+ty|dozens|hundreds|thousands)\s+(?:[\w-]+\s+){0,3}$", re.I)
_ACCORDING = re.compile(r"\baccording\s+to\s+[^,.;:]{1,80}", re.I)
_COUNT_FOR = re.compile(r"\b(?P<n>\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                        r"[a-z]+teen|[a-z]+ty)\s+(?:[\w-]+\s+){0,3}?for\s+(?:the\s+)?", re.I)
_HOME_FORCE = re.compile(r"(?:^|(?<=[.;,]\s)|(?<=\bthat\s))(?:[Tt]he\s+)(?:country's\s+)?(?:army|navy|air\s+force|"
                         r"military|armed\s+forces|coast\s+guard|marines|(?:defen[cs]e\s+)?ministry|government|kingdom|"
                         r"emirate|sultanate|island)\s+(?=(?:has|have|had|will|would|is|was|"
                         r"also|then|later|already|recently|first|\w+ed\b|\w+s\b))")
_EXERCISE = re.compile(r"\bfor\s+(?:the\s+|an?\s+|their\s+|its\s+)?(?:[\w-]+\s+){0,4}?(?:exercises?|drills?|"
                       r"war\s+games|manoeuvres|maneuvers)\b", re.I)
# "The first, PNS Babur, was", "The second of them has been", "Its last": one of the system spoken of, as the
# subject before a delivery verb (the ordinal is group n)
_ORDINAL_SUBJECT = (r"(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?P<n>first|second|third|fourth|fifth|sixth|last|final|latest|next)"
                    r"(?:\s+one|\s+of\s+(?:them|those|these|the\s+\w+))?(?:\s*,\s*[^,;.]{2,50},)?\s+"
                    r"(?:(?:was|has\s+been|had\s+been|will\s+be|is|would\s+be)\s+)?(?:(?:formally|officially|finally)\s+)?")
_ITEMLESS = re.compile(r"\breceiv|\b(?:ordered|bought|purchased|acquired|signed\s+for|shipped|delivered|sent|supplied|"
                       r"transferred|handed\s+over|taken|took|allotted|given)\s+(?:only\s+|just\s+|another\s+)?"
                       r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|"
                       r"\bin\s+talks\s+with\b|\bnegotiat\w+\s+with\b|"
                       r"\b(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten)\s+of\s+(?:them|those|these)\b|"
                       rf"\b[Tt]he\s+(?:first|last|remaining|final|next|initial|other)\s+(?:{COUNT})\s+(?:(?:have|has|had|"
                       r"were|was|are|is|will|would)\s+)?(?:been\s+|be\s+)?(?:arriv|deliver|land|hand|ship|commission|"
                       r"induct|sent|transferr|touch)|"
                       rf"\b{_ORDINAL_SUBJECT}(?:arriv|deliver|land|hand|ship|commission|induct|transferr)",
                       re.I)
_AT_PLACE = re.compile(r"\s+(?:at|in|into)\s+(?:the\s+)?(?:(?:port|base|air\s*base|airbase|airfield|air\s+station|"
                       r"naval\s+base|harbou?r|airport|shipyard|dockyard|docks?)\b|(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])"
                       r"[\w'’-]+){0,3}\s+(?:air\s*base|airbase|airfield|air\s+(?:force\s+)?station|naval\s+base|port|"
                       r"harbou?r|airport|base)\b)", re.I)
_BARE_NUM = rf"(?P<n>{COUNT}|a\s+dozen|dozens)"
_BARE_AFTER = re.compile(rf"\s+(?:(?:only|just|another|some|about)\s+)?{_BARE_NUM}(?=\s+(?:of\s+(?:them|those|these)|"
                         rf"so\s+far|to\s+date|already|more|by|from)\b|\s*[.,;])", re.I)
_BARE_BEFORE = re.compile(rf"(?:^|(?<=\s)){_BARE_NUM}\s+(?:of\s+(?:them|those|these|the\s+\w+)\s+)?"
                          rf"(?:(?:have|has|had|were|was|are|is|will|would|should)\s+)?(?:already\s+)?(?:been\s+|be\s+)?$",
                          re.I)
_PARTICIPLE = re.compile(r"\s(?:(?:recently|already|newly|originally|previously|second-hand)\s+)?(?:(?:bought|"
                         r"purchased|acquired|procured|imported|ordered)\s+from|(?P<made>made|built|produced|"
                         r"manufactured)\s+by)"
                         r"\s+(?:the\s+)?(?-i:[A-Z])", re.I)
# delivery words before the item of a participle frame: "presented Akinci drones made by Turkey's Baykar"
_DELIVERY_CUE = re.compile(r"\b(?:welcom\w*|arriv\w*|receiv\w*|took\s+delivery|tak\w*\s+delivery|handed\s+over|"
                           r"unveil\w*|inducted|commissioned|showcased|paraded|presented)\b", re.I)
# a fleet in service: delivered when it was bought from someone ("operates 36 Rafales bought from France"), but
# "flies Akinci drones made by Baykar" only says who made them
_IN_SERVICE = re.compile(r"\b(?:operat(?:es|ed|ing)|flies|flew|fields|fielded)\b", re.I)
_RELATIVE = re.compile(r",\s+(?:(?P<rel>which|who|whose|whom|where|(?:built|made|produced|developed|manufactured|"
                       r"designed|based|known|called|dubbed|named)\s+(?:by|in|as)\b)|a|an|the|its|his|her)\b"
                       r"[^,;:\"“”]{0,140},")
# a negated statement ("had not sent", "has never provided", "refused to supply") is no transfer
_NEGATION = re.compile(r"\b(?:not|never|n['’]t|no\s+longer|refus(?:ed|es|ing)\s+to|declin(?:ed|es|ing)\s+to|"
                       r"unlikely\s+to)\b"
                       r"(?!\s+(?:only|just|merely|simply|clear|known|(?:yet|immediately)\s+clear|stopped|ceased|"
                       r"halted)\b)",
                       re.IGNORECASE)
# a refused or declined offer or purchase is no transfer (resources/status_cues.csv, status "refused")
_REFUSAL = re.compile(rf"\b(?:{cues('refused', 'before')})\b", re.I)
# "tanks made by China's NORINCO": the maker supplies
_RELATIVE_CONTENTS = re.compile(r",?\s+(?:[^.;]{0,60}?,\s+)?(?:which|that)\s+(?:also\s+)?"
                                r"(?:includ|cover|provid|compris|foresee|envisag|envision)\w*(?:\s+for)?")
_GENERIC_HEAD = re.compile(r"(?:aircraft|jets?|fighters?|fighter\s+jets?|planes?|tanks?|vessels?|ships?|helicopters?|"
                          r"howitzers?|guns?|drones?|submarines?|frigates?|corvettes?|launchers?)", re.I)
_DEFINITE_BEFORE = re.compile(r"\b(?:its|their)\s+(?:(?:first|second|third|last|final|remaining|"
                              r"new|other|next|\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+){0,2}$",
                              re.I)
_CARRYING = re.compile(r"\b(?:carrying|loaded\s+with|transporting|laden\s+with)\s", re.I)
_DECISION_TO = re.compile(r"['’]s\s+(?:(?:\d{4}|recent|earlier|latest|original|initial|final)\s+)?"
                          r"(?:decision|plan|bid|move|intention|push|effort|request|attempt)\s+to\s+")
_FIRM_AFTER_DEMONYM = re.compile(r"\s+(?:state-owned\s+|state-run\s+|private\s+)?(?:defen[cs]e\s+|arms\s+|naval\s+)?"
                                 r"(?:shipyards?|yards?|firms?|compan(?:y|ies)|makers?|manufacturers?|group|"
                                 r"contractors?|shipbuilders?|builders?)\b", re.I)
_FORCES_AFTER = re.compile(r"\s+(?:armed\s+forces|forces|troops|army|navy|air\s+force|military|government|"
                           r"marines|coast\s+guard)\b", re.I)
_N_MORE = re.compile(r",?\s+(?:and|while|with|plus)\s+(?:then\s+|a\s+further\s+|another\s+)?"
                     r"(?P<q>(?:(?:at\s+least|more\s+than|about|around|roughly|some|nearly|up\s+to|as\s+many\s+as)\s+)?"
                     rf"(?P<n>{COUNT}|[a-z]+teen|[a-z]+ty))\s+more\b", re.I)
_OWN_INDUSTRY = re.compile(r"\bfrom\s+(?:its|their)\s+own\s+(?:defen[cs]e\s+|arms\s+)?"
                           r"(?:industry|industries|manufacturers?|"
                           r"firms?|compan(?:y|ies)|factor(?:y|ies)|plants?|shipyards?|production|makers?)\b", re.I)
_CAP = re.compile(r"\b(?:may|can|could|(?:is|are)\s+allowed\s+to|(?:is|are)\s+permitted\s+to)\s+"
                  r"(?:legally\s+)?(?:import|receive|buy|export|sell|supply)\s+no\s+more\s+than\b", re.I)
_ANOTHER_N = re.compile(rf",?\s+and\s+(?:a(?:nother)?\s+(?:further\s+)?)(?P<q>(?P<n>{COUNT}|[a-z]+teen|[a-z]+ty))\b"
                        r"(?=\s+from\b)", re.I)
_APPOSITIVE_DEAL = re.compile(r",\s+(?:the|its|their|an?)\s+(?:[\w-]+\s+){0,3}$", re.I)
_NTH_OF_THEM = re.compile(r"\s+(?:the\s+)?(?:first|second|third|last|final|remaining)\s+"
                          rf"(?:(?P<n>{COUNT})\s+)?"
                          r"(?:batch\s+)?of\s+(?P<them>them|those|these)\b", re.I)
_COUNT_BEFORE = re.compile(rf"\b(?:\d[\d,.]*|{COUNT_WORDS}|dozens?|hundreds?|thousands?|several|a\s+few)\s+"
                           r"(?:more\s+|additional\s+|new\s+|used\s+)?$", re.I)
_DIGIT_START = re.compile(r"\d[\d,.]*\s")
_AND_OBJECT = re.compile(r"(?:(?:,\s*)?\b(?:and|along\s+with|together\s+with|as\s+well\s+as)\s+|,\s+)(?:also\s+)?"
                         r"(?:the\s+|its\s+|their\s+|some\s+|an?\s+)?"
                         r"(?:(?:about|around|roughly|some|nearly|more\s+than|at\s+least|up\s+to|over)\s+)?"
                         rf"(?:(?:{COUNT}|dozens\s+of)\s+)?$", re.I)
# "along with King Air 360i surveillance aircraft built in the United States": a name the catalogue lacks
_AND_NAMED_OBJECT = re.compile(r"(?:,\s*)?\b(?:and|along\s+with|together\s+with|as\s+well\s+as)\s+"
                               r"(?:(?:the|its|their|some)\s+)?(?:(?-i:[A-Z0-9])[\w-]*\s+){1,3}(?:[a-z-]+\s+)?$")
_FMS = re.compile(r"\b(?:through|under|via)\s+(?:the\s+)?(?:U\.S\.\s+|US\s+|American\s+|United\s+States['’]?\s+)?"
                  r"(?:Foreign\s+Military\s+(?:Sales|Financing)|FMS|Excess\s+Defen[cs]e\s+Articles)\b")
# "the JF-17 fighters that Pakistan's aircraft industry handed over": the giver (a state, its firm or its
# industry) of an item in a relative clause; _GAVE_AFTER follows group "giver"
_ITEM_THAT_GIVER = re.compile(r"(?:\s+(?-i:[a-z])[a-z-]+){0,2}?\s+(?P<rel>(?:that\s+|which\s+|(?=(?:the\s+)?(?-i:[A-Z])"
                              r"[\w.-]*(?:\s+(?-i:[A-Z])[\w.-]*){0,2}\s+(?:has|had|have)\s))(?:the\s+)?)"
                              r"(?P<giver>(?-i:[A-Z])[\w.-]*(?:\s+(?-i:[A-Z])[\w.-]*){0,3}(?:['’]s\s+(?:[a-z-]+\s+){0,2}?(?:industry|makers?|manufacturers?|"
                              r"firms?|companies|company|government|military|army|navy|air\s+force))?)")
# "The State Department approved possible sales that would give Taiwan ...": a sale the United States makes
_US_APPROVAL = re.compile(r"\b(?:(?:U\.S\.\s+)?State\s+Department|Defen[cs]e\s+Security\s+Cooperation\s+Agency|DSCA)\s+"
                          r"(?:has\s+|had\s+)?(?:approved|cleared|notified)\b")
_STILL_TO_COME = re.compile(r"\b(?:expects?|expected|is\s+due|are\s+due|scheduled|to\s+follow|will\s+(?:arrive|follow|"
                            r"come|be\s+delivered))\b[^.;]{0,20}?\b(?:another|a\s+further|the\s+(?:final|last|"
                            r"remaining))\s", re.I)
_FURTHER_BATCH = re.compile(rf"\b(?:another|a\s+further|the\s+(?:final|last|remaining))\s+(?P<n>{COUNT})"
                            r"(?=\s+(?:in|by|during|before|next|later|this|early|late)\b)", re.I)
_ORDERED_WHEN = re.compile(r"\s+(?:ordered|bought|purchased)\s+(?:in\s+(?:19|20)\d\d|(?:last|this)\s+"
                           r"year|in\s+(?:January|February|March|April|May|June|July|August|September|October|"
                           r"November|December))\b")
# "The remaining four are expected before June", "the two remaining aircraft would arrive", "and the remaining
# three are due to follow": the rest of an order, still to come
_REMAINING = re.compile(rf"(?:^|(?<=[,;]\s)|(?<=\band\s)|(?<=\bthat\s)|(?<=\bsaid\s))(?:[Tt]he\s+)?"
                        rf"(?:(?:remaining|last|final)\s+(?P<n>{COUNT})|(?P<n2>{COUNT})\s+remaining)(?:\s+(?:[\w-]+\s+){{0,2}}?[\w-]+)??\s+"
                        r"(?:are|is|were|was|will|would|should)\s+(?:still\s+|now\s+)?(?:be\s+)?(?:expected|due|"
                        r"scheduled|set\s+to|arrive|follow|be\s+delivered|be\s+handed\s+over|delivered)\b")
# "They are the first of 24 F-16s ...": a sentence about things, whose later "they" are those things
_COPULAR_ITEMS = re.compile(r"(?:They|These|Those|It)\s+(?:are|were|is|was)\s+"
                            r"(?:the|an?|its|their)\b")
# "The four turboprops are the first of six ordered under a contract": the order of what just arrived
_COPULAR_FIRST_OF = re.compile(rf"(?:(?:They|These|Those|The\s+(?:{COUNT}\s+)?(?:[\w-]+\s+){{0,2}}?[\w-]+)\s+"
                               rf"(?:are|were)|(?:It|This)\s+(?:is|was))\s+the\s+first\s+(?:batch\s+)?of\s+(?:the\s+|an?\s+)?(?:order\s+(?:of|for)\s+)?"
                               rf"(?P<n>{COUNT})\s+(?:[\w-]+\s+){{0,6}}?(?:(?:that|which)\s+[^,.;]{{2,40}}?\s+)?"
                               r"(?:ordered|bought|purchased|contracted|acquired)\b")
# "an order for 97 domestically designed and built Tejas jets": a country's own production, no transfer
_DOMESTIC_BEFORE = re.compile(r"\b(?:domestically|locally|indigenously|home-?grown)[\s-]+(?:designed|developed|built|"
                              r"made|produced|manufactured)(?:\s+and\s+(?:built|made|produced|manufactured))?\s+"
                              r"(?:[\w-]+\s+){0,3}$", re.I)
_BOUGHT_BY_FROM = re.compile(r"\s+(?:bought|purchased|acquired|ordered|procured)\s+by\s+(?:the\s+)?"
                             r"(?P<buyer>(?-i:[A-Z])[\w.'’-]*(?:\s+(?-i:[A-Z])[\w.'’-]*){0,2})\s+from\s+(?:the\s+)?")
# "as its air force retires its outgoing Russian MiG-21 jets": a fleet going, not coming (the adjective "retired"
# of second-hand ships being transferred is not this)
_RETIRING = re.compile(r"\b(?:replac(?:e|es|ing)|retir(?:e|es|ing)|phas(?:e|es|ing)\s+out)\s+(?:its|their|the|an?|"
                       r"ageing|aging|outgoing|old)\s+(?:[\w'’-]+\s+){0,4}$", re.I)
_WHICH_THAT = re.compile(r"\b(?:which|that)\s+(?:also\s+)?(?:includ|cover|provid|compris|foresee|envisag|envision)")
_REPLACED = re.compile(r"\b(?:replac\w*|succeed\w*|retir\w*)\s+(?:[\w'’-]+\s+){0,5}$", re.I)
# "Portugal ordered five and received its first in 2023": the first of the system spoken of
_ITS_FIRST = re.compile(r"\s+(?:its|their)\s+(?P<them>first)(?P<n>)(?=\s+(?:in|on|last|this|next|early|late|earlier|"
                        r"later)\b|\s*[.,;]|$)", re.I)
_BARE_COUNT_TEXT = re.compile(rf"{COUNT}|a\s+dozen|dozens", re.I)
_MAKER_PREPS = (r"(?:made|built|produced|manufactured|supplied|developed|donated|gifted|provided|given|sent|delivered|"
                r"sold|transferred|shipped|loaned|leased|handed\s+over)\s+by|(?:built|made|constructed|manufactured)\s+in")
_LIST_END = re.compile(r"\s*(?:[.;)]|$)|\s+(?:in|on|at|last|this|earlier|since|under|after|before|over|by|for)\b")
_NTH_SUBJECT = re.compile(rf"\s*{_ORDINAL_SUBJECT}$")
_GAVE_AFTER = re.compile(r"\s+(?:(?:had|has|have|would|will)\s+)?(?:(?:already|previously|earlier)\s+)?(?:donated|sent|"
                         r"supplied|provided|pledged|promised|given|gave|delivered|sold|transferred|gifted|handed\s+over)\b")
_APPOSITIVE_OF = re.compile(r"\s*,?\s*(?:an?|the)\s+(?:(?:new|newer|latest|upgraded|improved|modified|modernised|"
                            r"modernized|local|export)\s+)?(?:variant|version|derivative|development|model|type)\s+of\s+"
                            r"(?:the\s+)?$", re.I)
_CANDIDATES = re.compile(r"\b(?:choose|chose|chosen|choosing|select|selects|selected|selecting|pick|picks|picked|"
                         r"decide|decides|weigh|weighs|weighing|consider|considers|considering|evaluat\w+|assess\w*)\b"
                         r"[^.:;]{0,60}?\b(?:candidates|contenders|options|bidders|offers|competitors|finalists)\s*:\s*",
                         re.I)
_BOUGHT_COLON = re.compile(r"\b(?:ordered|bought|purchased|acquired|procured|signed\s+for)\b[^.:;]{0,80}:\s*", re.I)
_FROM_SELLER = r"(?:[a-z][a-z-]*\s+){0,2}?(?:(?:leased|bought|purchased|acquired|ordered|built|made)\s+)?from"
_SCHEME_SUBJECT = re.compile(r"(?:^|[,;]\s+|\bthat\s+)[Tt]he\s+(?:[\w-]+\s+){0,2}?(?:scheme|initiative|programme|"
                             r"program|effort|mechanism|coalition|fund|facility)\s+(?:(?:has|had|have|will|would|also|already|"
                             r"so\s+far)\s+)*$")
_PART_IS = re.compile(rf"(?:^|[,;]\s*|\b(?:while|whereas|and|with)\s+|\bOf\s+(?:the|them|these)\b[^,]{{0,30}},\s*)"
                      rf"(?:the\s+(?:other|remaining|rest)\s+|another\s+)?(?P<n>(?:{COUNT}|[a-z]+teen|[a-z]+ty))\s+"
                      rf"(?:will|would|are|were|is|was|should|are\s+to)\s+be\s+(?:[\w-]+\s+){{0,3}}$")
_PASS_ON = re.compile(r"(?:,\s*(?:which|who)|\band)\s+(?:(?:then|later|subsequently|in\s+turn|reportedly|allegedly|"
                      r"secretly|quietly)\s+)?(?:(?:has|have|had|will|would)\s+)?(?P<v>sent|send|passed|pass|shipped|ship|"
                      r"transferred|transfer|handed|hand|gave|give|delivered|deliver|forwarded|re-exported|resold|"
                      r"supplied)\s+(?:(?:it|them|those|these|the\s+[a-z]+)\s+)?(?:on\s+|onward\s+|over\s+)?to\s+"
                      r"(?:the\s+)?",
                      re.I)
# "Germany's latest aid to Ukraine (consists of ...)": a giver's package for a recipient as the subject
_GIVERS_AID = re.compile(r"(?P<g>(?-i:[A-Z])[\w.-]*(?:\s+(?-i:[A-Z])[\w.-]*){0,2})['’]s\s+"
                         r"(?:(?:latest|new|newest|fresh|"
                         r"next|first|second|third|last|largest|biggest)\s+)?"
                         r"(?:(?:military|security|arms|weapons|defen[cs]e)\s+)?"
                         r"(?:aid|package|assistance|donation|delivery|shipment|contribution|consignment|pledge)\s+"
                         r"(?:(?:package\s+)?(?:to|for)\s+)(?:the\s+)?(?P<r>(?-i:[A-Z])[\w.-]*(?:\s+(?-i:[A-Z])[\w.-]*){0,2})"
                         r"\s+$", re.I)
_DITRANSITIVE = re.compile(r"(?:given|sold|sent|offered|promised|allotted|granted|lent|loaned|gifted|handed|donated)$",
                           re.I)
_TO_COUNTRIES_INCLUDING = re.compile(
    rf"\bto\s+(?:(?:more\s+than|over|at\s+least|some|about|around|nearly|almost|a\s+dozen|dozens\s+of|several|many)\s+)?"
    rf"(?:(?:{COUNT})\s+)?(?:other\s+|foreign\s+)?(?:countries|nations|states|customers|buyers|armies|air\s+forces|navies|"
    rf"militaries|operators)\b[^.;]{{0,40}}?,?\s+(?:including|such\s+as|among\s+them|notably)\s+(?:the\s+)?", re.I)
_DEAL_WITH = (r"(?:agreements?|deals?|contracts?|accords?|arrangements?|"
              r"memorand(?:um|a)(?:\s+of\s+understanding)?)\s+with")
_NEW_SUBJECT = re.compile(r",\s+and\s+(?:the|its|their)\s+(?:[a-z]+\s+){0,2}?(?:air\s+force|navy|army|military|"
                          r"government|ministry|junta|regime|forces)\b", re.I)
_OWNED = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,3}?(?:suppliers?|partners?|customers?|clients?|allies|ally|"
                    r"neighbou?rs?|rivals?|sources?|buyers?|vendors?)\b", re.I)
# "The deal, signed on Tuesday, is worth ...", "Deliveries of the jets are expected to begin in 2029"
_DEAL_ANAPHOR = re.compile(
    r"(?:^|[.;]\s+|,\s+and\s+|\bsaid\s+(?:that\s+)?)(?P<np>(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:(?:new|original|initial|\$?[\d.,]+[-\s](?:million|billion|"
    r"trillion)[-\s]\w+|[\w-]+)\s+){0,2}?(?:deal|contract|order|purchase|agreement|sale)|[Dd]eliveries(?:\s+of\s+the\s+"
    r"(?:[\w-]+\s+){0,2}?(?:jets|aircraft|tanks|systems|ships|vessels|drones|howitzers|launchers|helicopters))?)\b"
    r"(?=[^.;]{0,80}?\b(?:is|was|are|were|will|would)\s+(?:\w+\s+){0,2}?(?:worth|valued|cost|signed|expected|due|"
    r"scheduled|set|to\s+(?:begin|start|run))\b|[^.;]{0,40}?,\s+(?:worth|valued)\b|\s+(?:is|was)\s+worth\b)")
# "Seoul's procurement agency put the value at 1.4 trillion won", "Saab put the value of the order at 3.1 billion euros"
_VALUE_ANAPHOR = re.compile(r"\bput(?:s|ting)?\s+(?P<np>the\s+(?:total\s+)?value(?:\s+of\s+the\s+(?:[\w-]+\s+){0,2}?"
                            r"(?:deal|contract|order|purchase|sale|programme|program))?)\s+at\b", re.I)
_DEAL_SUBJECT = re.compile(r"\b(?:the|this|that)\s+(?:[\w-]+\s+)?(?:deal|contract|agreement|pact|package|order)"
                           r"\s+(?:also\s+)?$", re.I)
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|could|can|may|might|should|must|does|did)\b")



@dataclass
class Frame:
    """One trigger's frame while it is filled: the trigger and its clause (read), and what the kind's method in
    frame_kinds.py finds (supplier, recipient, items, ...), which _transfers_in then turns into transfers."""
    s: Sent
    m: re.Match
    masked: str
    relative: bool  # a deal noun whose contents follow in a relative clause
    ts: int  # the trigger's start and end (absolute)
    te: int
    c_lo: int  # its clause
    c_hi: int
    kind: str  # the trigger's kind (triggers.csv)
    tstat: str | None  # the status the trigger word itself gives
    trig: str  # the trigger, lowercased
    sent_transfers: list[Transfer]  # the sentence's frames so far
    supplier: str | None
    recipient: str | None
    items: list[Item]
    pre_lo: int  # where the words before the trigger that set its status begin
    inherit_status: str | None
    salient: bool  # a missing recipient may be the article's main counterpart
    extra_sup: list[str]  # coordinated parties: "Germany and Britain have supplied"
    extra_rec: list[str]
    by_maker: bool = False  # the supplier is the maker's country of the first named system (each its own)


class FrameStage:
    """Per sentence, a frame around each trigger word (lexicon.TRIGGER_RE): the supplier,
    the recipient and the items, by syntax-free cues (see pipeline.py). A mixin of pipeline.Extraction."""

    def _clause(self, s: Sent, pos: int) -> tuple[int, int]:
        """Absolute [start, end) of the clause around absolute position pos."""
        rel = pos - s.start
        left = 0
        for m in _CLAUSE_LEFT.finditer(s.masked, 0, rel):
            left = m.end()
        right = len(s.text)
        m = _CLAUSE_RIGHT.search(s.masked, rel + 1)
        if m:
            right = m.start()
        return s.start + left, s.start + right

    def _masked(self, s: Sent) -> str:
        """The sentence with relative clauses and appositives blanked out (offsets kept)."""
        def blank(m: re.Match) -> str:
            seg = m.group(0)
            # an appositive ("Russia, a veto-wielding member of ..., is") is short and has no verb of its own
            if not m.group("rel") and (len(seg) > 80 or _FINITE.search(seg) or TRIGGER_RE.search(seg)):
                return seg
            return "," + " " * (len(seg) - 2) + ","
        masked = _RELATIVE.sub(blank, s.text)
        # "according to the NIS" names a source, never a party
        return _ACCORDING.sub(lambda m: " " * len(m.group(0)), masked)

    def _left_actor(self, s: Sent, masked: str, lo: int, hi: int, allow_demonym: bool = False) -> Actor | None:
        best = None
        for a in s.actors:
            if a.start < lo or a.end > hi:
                continue
            if a.kind == "demonym" and not allow_demonym:
                continue
            rel = a.start - s.start
            if masked[rel:rel + 1] == " " and s.text[rel:rel + 1] != " ":
                continue  # blanked (relative clause)
            gerund = re.fullmatch(r"\s+(?:\w+ly\s+)?", self.text[a.end:hi]) and re.match(r"\w+ing\b", self.text[hi:])
            if _PREP_BEFORE.search(s.text[max(0, rel - 25):rel]) and not re.search(
                    r"\b(?:and|between)\s+(?:the\s+)?$", s.text[max(0, rel - 25):rel]) and not gerund:
                continue
            if re.search(r"according\s+to\s+(?:the\s+)?$", s.text[max(0, rel - 20):rel], re.I):
                continue
            if _OWNED.match(s.text, a.end - s.start):
                continue  # "Israel has been Azerbaijan's main supplier, selling ...": not the subject
            owner = next((o for o in s.actors if o.end <= a.start and
                          re.fullmatch(r"['’]s\s+", self.text[o.end:a.start])), None)
            o_rel = owner.start - s.start if owner is not None else 0
            if owner is not None and _PREP_BEFORE.search(s.text[max(0, o_rel - 25):o_rel]):
                continue  # "from France's Dassault Aviation": inside the prepositional phrase
            if re.match(r"\s*(?:['’]s)?\s*(?:" + GROUP_NOUNS + r")?\s*(?:said|says|told|accus)",
                        s.text[a.end - s.start:]):
                continue
            best = a
        if best is not None and _NEW_SUBJECT.search(self.text[best.end:hi]):
            return None  # "China has supplied jets, and the air force bought JF-17s": another subject
        return best

    def _elided_subject(self, s: Sent, masked: str, c_lo: int) -> Actor | None:
        """ "Russia promised X but would also provide Y": the subject of the first conjunct."""
        if not re.search(r"\b(?:but|and|yet)\s*$", self.text[s.start:c_lo]) or \
                not re.match(r"\s*(?:(?:also|would|will|could|has|have|had|is|are|was|were|then|later|even|"
                             r"not|only)\s+)*\w+", self.text[c_lo:]):
            return None
        for a in s.actors:
            if a.start >= c_lo or a.kind == "demonym":
                continue
            rel = a.start - s.start
            if _PREP_BEFORE.search(s.text[max(0, rel - 25):rel]):
                continue
            return a
        return None

    def _bare_count(self, s: Sent, lo: int, hi: int, after: bool) -> list[Item]:
        """A count standing for the system just spoken of: "had shipped 133 of them", "has delivered 96 so
        far" (``after`` the trigger), "Two of them have arrived" (before it); "The first, PNS Babur, was
        delivered in 2023" (one of them, before it)."""
        last = self.last_system_item
        if last is None:
            return []
        rx = _BARE_AFTER if after else _BARE_BEFORE
        m = rx.match(self.text, lo, hi) if after else rx.search(self.text, lo, hi)
        if m is None:
            nth = None if after else (_NTH_SUBJECT.match(self.text, lo, hi) or
                                      _NTH_SUBJECT.match(self.text, s.start, hi))
            if nth is None:
                return []
            return [Item(nth.start("n"), nth.end("n"), "first", last.category, last.system)]
        if re.fullmatch(r"(?:1[89]|20)\d\d,?", m.group("n")):
            return []  # "ordered in 2022, arrived": a year, not a count
        return [Item(m.start("n"), m.end("n"), m.group("n"), last.category, last.system)]

    def _home_force(self, s: Sent, lo: int, hi: int, possessive: bool = False) -> Actor | None:
        """ "The army has received dozens of VT-4 tanks": a force with no country is the state that has
        received most so far in the article, else the one it is filed from (its dateline). ``possessive``: the
        caller has found "the army's" itself (lo..hi)."""
        if possessive:
            start, end = lo, hi
        else:
            m = _HOME_FORCE.search(self.text, lo, hi)
            if m is None:
                return None
            start, end = m.start(), m.end()
        home = self._home_state()
        return Actor(start, end, home, home, "force") if home else None

    def _home_state(self) -> str | None:
        """The state the article is about: the one that has received most so far, else its dateline's."""
        counts = Counter(t.recipient for t in self.transfers if t.recipient and t.recipient.startswith("country:"))
        home = counts.most_common(1)[0][0] if counts else None
        if home is None:
            home = next((self.actor_id(mm.entity) for mm in self.mentions if mm.kind == "dateline"), None)
            home = home if home and home.startswith("country:") else None
        return home

    def _pronoun_subject(self, s: Sent, lo: int, hi: int, depth: int = 0) -> Actor | None:
        """ "it"/"they" as subject: the first non-prepositional actor of the previous sentence (or, when
        that sentence opens with "It"/"They" too, what its pronoun stands for)."""
        m = re.search(r"\b(?:it|they|It|They)\b", self.text[lo:hi])
        if m is None:
            return None
        if _COPULAR_ITEMS.match(s.text) and any(i.start < lo + m.start() for i in s.items):
            # "They are the first of 24 F-16s ..., and they give the country a supersonic aircraft": the jets
            return None
        if re.search(r"\baccus(?:ing|ed|es)\s+$", self.text[max(s.start, lo + m.start() - 12):lo + m.start()]):
            # "cut ties with the UAE, accusing it of supplying the RSF": the one accused, named just before
            accused = [a for a in s.actors if a.end <= lo + m.start() and a.kind not in ("demonym",)]
            if accused:
                return accused[-1]
        # "Poland said it was ready to ...", "Rheinmetall, which makes ..., said it could ...": the speaker
        for a in s.actors:
            if a.end > lo or a.kind == "demonym":
                continue
            rel = a.start - s.start
            if _PREP_BEFORE.search(s.text[max(0, rel - 25):rel]) or (s.masked[rel] == " " and s.text[rel] != " "):
                continue
            gap = " ".join(re.sub(r"[,()]", " ", s.masked[a.end - s.start:lo + m.start() - s.start]).split()) + " "
            if re.fullmatch(rf"(?:['’]s)?\s*(?:{GROUP_NOUNS}\s+)?(?:(?:has|have|had|also|already|again|"
                            rf"then|later|previously)\s+)*(?:said|says|announced|announces|stated|states|added|"
                            rf"told\s+\w+|confirmed|confirms|indicated|signal(?:l)?ed|insisted|admitted|acknowledged|"
                            rf"revealed|denied)\s+(?:(?:on|in|at|last|this|earlier|for\s+the\s+first)\s+(?:\S+\s+)?|"
                            rf"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+|(?:yesterday|today)\s+){{0,2}}"
                            rf"(?:that\s+)?",
                            gap, re.I):
                return a
        # "Cairo ordered jets from France, and in 2022 it signed a contract ...": the first clause's subject
        if re.search(r"(?:,|;)\s+(?:and|but)\s+(?:[\w$.,-]+\s+){0,5}?$", self.text[s.start:lo + m.start()]):
            for a in s.actors:
                if a.end > lo or a.kind == "demonym":
                    continue
                rel = a.start - s.start
                if _PREP_BEFORE.search(s.text[max(0, rel - 25):rel]) or re.match(r"['’]s\b", s.text[a.end - s.start:]):
                    continue
                return a
        if s.index == 0:
            return None
        prev = self.sents[s.index - 1]
        lead = re.match(r"(?:It|They)\b", prev.text)
        if lead and depth < 3 and lead.group(0).lower() == m.group(0).lower():
            # "Greece ... It has received all 24 Rafales from France ... In 2024 it signed": still Greece
            chained = self._pronoun_subject(prev, prev.start, prev.start + lead.end(), depth + 1)
            if chained is not None:
                return chained
        for a in prev.actors:
            if a.kind in ("demonym",) or a.id.startswith("person:"):
                continue
            if a.kind == "group" and m.group(0).lower() == "it":
                continue
            rel = a.start - prev.start
            if _PREP_BEFORE.search(prev.text[max(0, rel - 25):rel]):
                continue
            return a
        return None

    def _deal_anaphor(self, s: Sent) -> None:
        """A sentence about the deal just reported, with no frame of its own: "The deal, signed on Tuesday,
        is worth about $1 billion", "The contract was signed by ...", "Deliveries are expected to begin in
        2029". It restates that transfer (same parties, category and system) with its own status, claimant
        and value (quantities.py)."""
        m = _DEAL_ANAPHOR.search(s.text) or _VALUE_ANAPHOR.search(s.text)
        if m is None:
            return
        prior = [t for t in reversed(self.transfers) if 1 <= s.index - t.sent.index <= 3 and t.supplier
                 and t.recipient and not t.negated and t.status in ("ordered", "planned", "promised", "delivered")]
        if not prior:
            return
        # the first item of the latest sentence with a transfer of its own (not a package's or deal's continuation):
        # "signed for 54 K9 howitzers and 36 K10s. The deal also covers ammunition. ... put the value at ..."
        prior = [t for t in prior if t.kind not in ("contain", "package", "anaphor")] or prior
        ante = min((t for t in prior if t.sent is prior[0].sent), key=lambda t: (t.item.start, t.trigger_start))
        start, end = s.start + m.start("np"), s.start + m.end("np")
        deliveries = m.group("np").lower().startswith("deliver")
        if not deliveries and not find_money(s.text):
            return  # "The contract was signed at ...": nothing new about the transfer (no value, no status)
        if deliveries:
            status = "planned" if re.search(r"\b(?:expected|due|scheduled|set|will|to\s+(?:begin|start))\b",
                                            s.text[m.end("np"):], re.I) else "delivered"
        else:
            status = "planned" if ante.status == "delivered" else ante.status
        item = Item(start, end, self.text[start:end], ante.item.category, ante.item.system)
        self.transfers.append(Transfer(
            sent=s, supplier=ante.supplier, recipient=ante.recipient, item=item, status=status,
            hedge=self._hedge(s, s.start, s.end), claimants=self._claimants(s, start), trigger_start=start,
            kind="anaphor"))

    def _package_backer(self, s: Sent, pos: int) -> str | None:
        """The state behind "the package" of the sentence before ("Scholz announced a new military aid
        package"), else the state of whoever speaks of it now."""
        for prev in self.sents[max(0, s.index - 2):s.index][::-1]:
            m = re.search(r"\b(?:announc|unveil|approv|pledg|promis|authori[sz])\w*\s+(?:a|an|the|its|another|"
                          r"new|fresh|latest|further)\s+[^.;]{0,40}?\bpackage\b", prev.text, re.I)
            if m is None:
                continue
            who = [a for a in prev.actors if a.end <= prev.start + m.start() and a.kind != "demonym"]
            if who:
                c = self.actor_id(who[-1].entity)
                return c if c.startswith("country:") else None
        for c in self._claimants(s, pos):
            c = self.actor_id(c)
            if c.startswith("country:"):
                return c
        return None

    def _package_recipient(self, s: Sent) -> str | None:
        """The "for X" of the package announced in the sentence before (or the one before that)."""
        for prev in self.sents[max(0, s.index - 2):s.index][::-1]:
            m = re.search(r"\bpackage\s+(?:[\w$€£.,-]+\s+){0,4}?for\s+(?:the\s+)?$|\bpackage\s+for\s+(?:the\s+)?",
                          prev.text, re.I)
            if m is None:
                continue
            a = next((a for a in prev.actors if a.start >= prev.start + m.end() and a.id.startswith("country:")),
                     None)
            if a is not None:
                return a.id
        return None

    def _maker(self, it: Item) -> str | None:
        """The country of a named system's maker (its origin in the catalogue)."""
        if it.system and it.system in self.g.entities:
            return self.g.country_of(self.g.entities[it.system].parent)
        return None

    def _actor_after(self, s: Sent, lo: int, hi: int, preps: str) -> Actor | None:
        for a in s.actors:
            if a.start < lo or a.start >= hi or (a.kind == "demonym" and not _FORCES_AFTER.match(self.text, a.end)):
                continue  # a demonym is a party only as its state's forces: "to fight alongside Russian forces"
            if a.id.startswith("location:"):
                continue  # a region or a place of no state is never a party ("its largest export to Latin America")
            rel = a.start - s.start
            if s.masked and s.masked[rel] == " " and s.text[rel] != " ":
                continue
            if re.search(rf"\b(?:{preps})\s+(?:the\s+|its\s+|their\s+)?$", s.text[max(0, rel - 30):rel], re.I):
                return a
        return None

    def _breakdown(self, s: Sent) -> None:
        """The parts of an order just reported: "Of the vehicles, 54 will be K2 main battle tanks, while the other
        141 will be K808 armoured personnel carriers": each part its own transfer, with the order's parties and
        status."""
        if any(t.sent is s for t in self.transfers):
            return
        prior = next((t for t in reversed(self.transfers) if t.supplier and t.recipient and not t.negated and
                      0 < s.index - t.sent.index <= 3), None)
        if prior is None:
            return
        for it in s.items:
            m = _PART_IS.search(self.text, max(s.start, it.start - 60), it.start)
            if m is None or not is_weapon(it.category):
                continue
            q = next(iter(find_quantities(m.group("n"))), None)
            if q is None:
                continue
            supplier = self._maker(it) if it.system and self._maker(it) not in (None, prior.recipient) \
                else prior.supplier
            self.transfers.append(Transfer(
                sent=s, supplier=supplier, recipient=prior.recipient, item=it, status=prior.status,
                hedge=self._hedge(s, s.start, s.end), claimants=self._claimants(s, it.start),
                trigger_start=m.start("n"),
                quantity={"low": q.low, "high": q.high, "unit": None, "qualifier": q.qualifier, "text": m.group("n")},
                kind="recv", inferred=True))

    def _candidates(self, s: Sent) -> None:
        """A buyer's shortlist after a colon: "the ministry will choose one or more of three candidates: Norway's
        NASAMS, Germany's IRIS-T SLM and France's VL MICA": one planned transfer per candidate, from the state
        named on it (its possessor, its seller after "from", or its demonym)."""
        m, status = _CANDIDATES.search(s.text), "planned"
        if m is None:
            # "a tranche that the ministry ordered in June: an IRIS-T SLM system from Diehl Defence, two VL MICA
            # fire units from MBDA France and ...": what was bought, listed after the colon
            m, status = _BOUGHT_COLON.search(s.text), "ordered"
        if m is None or any(t.sent is s for t in self.transfers):
            return
        lo = s.start + m.end()
        buyer = self._left_actor(s, s.masked or s.text, s.start, s.start + m.start()) or \
            self._home_force(s, s.start, s.start + m.end())
        if buyer is None:
            return
        for it in self._items_between(s, lo, s.end):
            if not is_weapon(it.category):
                continue
            poss = self._possessive_before(s, it.start)
            seller = self._actor_after(s, it.end, min(s.end, it.end + 40), _FROM_SELLER)
            if seller is not None and any(o.start < seller.start and o.start > it.end for o in s.items):
                seller = None  # the "from" of a later item
            # (named on the item: a maker's country alone is not enough, "the army has ordered 19 of the systems:
            # a prototype and 18 series vehicles" is its own industry's)
            origin = (poss.id if poss is not None and poss.start >= lo and poss.id.startswith("country:") else None) \
                or (seller.id if seller is not None and seller.id.startswith("country:") else None) \
                or self._origin(s, it)
            if origin is None or origin == buyer.id:
                continue
            self.transfers.append(Transfer(
                sent=s, supplier=origin, recipient=buyer.id, item=it, status=status,
                hedge=self._hedge(s, s.start, s.end), claimants=self._claimants(s, it.start),
                trigger_start=s.start + m.start(), quantity=self._quantity(s, it), kind="recv"))

    def _passed_on(self, s: Sent, sent_transfers: list[Transfer]) -> None:
        """A chain of givers: "Poland received 20 tanks from Germany and sent them on to Ukraine", "sold 20 tanks
        to Poland, which passed them on to Ukraine": the recipient of the frame before gives the same item on."""
        for m in _PASS_ON.finditer(self.text, s.start, s.end):
            prior = [t for t in sent_transfers if t.trigger_start < m.start() and t.supplier and t.recipient]
            to = next((a for a in s.actors if a.start == m.end() and a.id.startswith("country:")), None)
            if not prior or to is None:
                continue
            p = prior[-1]
            if to.id in (p.recipient, p.supplier) or any(
                    t.supplier == p.recipient and t.recipient == to.id for t in self.transfers if t.sent is s):
                continue
            v = m.start("v")
            self.transfers.append(Transfer(
                sent=s, supplier=p.recipient, recipient=to.id, item=p.item,
                status=self._status(self.text[m.start():v], m.group("v"), "give", s, p.item, self.text[s.start:v]),
                hedge=p.hedge, claimants=list(p.claimants), trigger_start=v, quantity=p.quantity, kind="give",
                inferred=True,
            ))

    def _transfers_in(self, s: Sent) -> None:
        if not s.items:
            # no item phrase: still a frame for "received", "ordered five", "in talks with" (the system spoken of)
            if (self.last_system_item is None or not _ITEMLESS.search(s.text)) and not re.search(HELP, s.text):
                self._remaining_due(s)  # "The remaining four are expected before June": no item phrase
                self._copular_order(s)
                return
        masked = s.masked = self._masked(s)
        sent_transfers: list[Transfer] = []
        matches = list(TRIGGER_RE.finditer(masked))
        seen = {m.start() for m in matches}
        # a deal noun whose contents follow in a relative clause (blanked in ``masked``): "the framework agreement
        # Warsaw and Seoul signed in 2022, which foresees up to 1,000 tanks"
        if _WHICH_THAT.search(s.text):
            matches += [m for m in TRIGGER_RE.finditer(s.text) if m.lastgroup == "package" and m.start() not in seen
                        and _RELATIVE_CONTENTS.match(s.text, m.end())]
        matches.sort(key=lambda m: m.start())
        for m in matches:
            relative = m.lastgroup == "package" and _RELATIVE_CONTENTS.match(s.text, m.end()) is not None
            inherit_status = None
            salient = False  # a missing recipient may be the article's main counterpart
            extra_sup: list[str] = []  # coordinated parties: "Germany and Britain have supplied"
            extra_rec: list[str] = []
            ts, te = s.start + m.start(), s.start + m.end()
            c_lo, c_hi = self._clause(s, ts)
            kind = m.lastgroup
            tstat = trigger_status(GROUP_KIND.get(kind, kind), masked, m.start(), m.end())
            trig = m.group(0).lower()
            supplier = recipient = None
            items: list[Item] = []
            pre_lo = c_lo
            f = Frame(s, m, masked, relative, ts, te, c_lo, c_hi, kind, tstat, trig, sent_transfers, supplier,
                      recipient, items, pre_lo, inherit_status, salient, extra_sup, extra_rec)
            if not getattr(self, f"_frame_{kind}")(f):
                continue
            by_maker = f.by_maker
            supplier, recipient, items, pre_lo, inherit_status, salient, extra_sup, extra_rec = (
                f.supplier, f.recipient, f.items, f.pre_lo, f.inherit_status, f.salient, f.extra_sup, f.extra_rec)
            items = [i for i in items if not self._weak(i, kind) and
                     not _DOMESTIC_BEFORE.search(self.text, max(s.start, i.start - 60), i.start) and
                     not (i.start > te and _RETIRING.search(self.text, max(te, i.start - 60), i.start))]
            if not items:
                continue
            if kind == "recv" and supplier is None and items and re.match(r"(?:chos|choos|select|pick|opt)", trig):
                # "Australia has chosen Mitsubishi Heavy Industries' upgraded Mogami-class design for its fleet of
                # frigates": the owner of the design chosen
                owner = next((a for a in s.actors if te <= a.start and a.end <= items[0].start and re.match(
                    r"['’]s?\s+(?:[a-z-]+\s+){0,2}(?:(?-i:[A-Z])[\w-]*\s+){0,2}(?:design|version|variant|offer|bid|"
                    r"proposal)\b", self.text[a.end:a.end + 60])), None)
                oid = (owner.id if owner.id.startswith("country:") else self.g.country_of(owner.id)) if owner else None
                if oid and oid != recipient:
                    supplier = oid
            if kind == "give" and trig.startswith("offer") and items and supplier and re.search(
                    r"\b(?:weigh\w*|consider\w*|accept\w*|study\w*|evaluat\w*|assess\w*|examin\w*|review\w*|"
                    r"mull\w*|receiv\w*|got|gets|has|had)\s+(?:an?|the)\s+(?:[\w-]+\s+)?$", self.text[c_lo:ts]) and \
                    re.match(r"\s+of\b", self.text[te:te + 4]):
                # "Indonesia is weighing an offer of Chinese J-10 fighters": the subject would receive; the item's
                # state (its demonym, else its maker's) offers
                own = self._origin(s, items[0]) or self._maker(items[0])
                if not own or own == supplier:
                    continue
                supplier, recipient = own, supplier
            if kind == "give" and re.search(r"\b(?:they|it)\s+(?:\w+\s+)?$", self.text[c_lo:ts]) \
                    and _COPULAR_ITEMS.match(s.text):
                continue  # "They are the first of 24 F-16s ..., and they give the country ...": the jets give nothing
            # the demonym on an item gives its origin: "North Korean troops"
            by_origin = False
            if supplier is None:
                for it in items:
                    origin = self._origin(s, it)
                    if origin:
                        supplier, by_origin = origin, True
                        break
            pre = self.text[pre_lo:ts]
            neg = _NEGATION.search(self.text[c_lo:ts])
            negated = ("own" if neg and neg.start() + c_lo >= pre_lo else "outer") if neg else ""
            if _CAP.search(self.text, c_lo, c_hi):
                continue  # "the North may import no more than 500,000 barrels a year": a sanctions cap, not a transfer
            if kind in ("give", "move") and _EXERCISE.search(self.text[te:c_hi]):
                continue  # "deployed its Typhon launcher to the Philippines for the annual Balikatan exercise"
            refusal = _REFUSAL.search(self.text[c_lo:ts])
            if refusal and (trig.startswith(("offer", "request")) or tstat == "ordered" or re.search(
                    r"\b(?:offers?|bids?|proposals?|requests?)\b", self.text[c_lo + refusal.end():te], re.I)):
                negated = "refused"  # "dismissed a French offer of 60 Rafales", "ruled out buying": no transfer
                if kind == "recv" and supplier is None:
                    # "Washington turned down Bangkok's request for F-35s": the one who refused would have sold
                    who = next((a for a in reversed(s.actors) if c_lo <= a.start and a.end <= c_lo + refusal.start()
                                and a.id.startswith("country:") and a.id != recipient), None)
                    supplier = who.id if who else None
            status_override = inherit_status if kind in ("contain", "package", "noun") else None
            if kind == "give" and supplier and recipient == supplier and not extra_rec and \
                    re.search(r"\b(?:originally|first|initially)\s+(?:built|made|designed|ordered)\s+for\b",
                              self.text[te:c_hi]):
                recipient = None  # "to supply two patrol ships originally built for the Italian navy": its own
            pairs = [(sp, rc) for sp in [*extra_sup, supplier] for rc in [recipient, *extra_rec]
                     if not (sp and rc and sp == rc)]
            for it, (sup_id, rec_id) in ((i, p) for i in self._merge_same_category(items) for p in pairs):
                if by_maker and sup_id == supplier and it.system and not extra_sup:
                    # "officials have named the Saab Gripen E, the F-16 Block 70 and Dassault's Rafale F4": each
                    # named system from its own maker's country
                    own = self._maker(it)
                    sup_id = own if own and own != rec_id else sup_id
                if by_origin and sup_id == supplier:
                    # "deals for Turkish drones and Chinese laser air defence systems": each item its own origin
                    own = self._origin(s, it)
                    sup_id = own if own and own != rec_id else sup_id
                if rec_id != "country:USA" and (sup_id is None or sup_id == self._maker(it)) and (
                        (kind == "recv" and _FMS.search(self.text, te, min(s.end, te + 160))) or
                        _US_APPROVAL.search(self.text, s.start, ts)):
                    # "received 12 A-29 Super Tucanos through the U.S. Foreign Military Sales programme": the
                    # United States sells, whoever built them
                    sup_id = "country:USA"
                resolved = self._resolve_anaphoric(it, s)
                if sup_id is None and resolved.system and not it.system and resolved.system in self.g.entities and (
                        kind == "move" or (kind == "recv" and (tstat == "delivered" or trig.startswith("receiv")))):
                    # "Indonesia received its first aircraft": the Rafale spoken of, from whoever sold it (the
                    # last transfer of it to that recipient), else its maker's country
                    prior = next((t for t in reversed(self.transfers) if t.item.system == resolved.system
                                  and t.supplier and t.recipient == rec_id), None)
                    maker = prior.supplier if prior else self.g.country_of(self.g.entities[resolved.system].parent)
                    sup_id = maker if maker != rec_id else None
                it = resolved
                t = Transfer(
                    sent=s, supplier=sup_id, recipient=rec_id, item=it,
                    status=status_override or self._status(pre, trig, kind, s, it, self.text[c_lo:ts], tstat),
                    hedge=self._hedge(s, c_lo, c_hi),
                    claimants=self._claimants(s, it.start),
                    trigger_start=ts,
                    quantity=self._quantity(s, it) if kind != "help" else None,
                    negated=negated,
                    salient=salient,
                    kind=kind,
                )
                sent_transfers.append(t)
            for it in items:
                if it.system and not _REPLACED.search(self.text, max(0, it.start - 60), it.start):
                    self.last_system_item = it  # (not the fleet being replaced: "to replace their C-130 fleets")
        sent_transfers += self._second_objects(s, sent_transfers)
        sent_transfers = self._distributed(s, sent_transfers)
        sent_transfers += self._colon_elaboration(s, sent_transfers)
        # same-sentence sharing: "promising to send X, following the dispatch of Y"
        for t in sent_transfers:
            others = [o for o in sent_transfers if o is not t and o.supplier and o.recipient]
            if others:
                if t.supplier is None:
                    t.supplier = others[0].supplier
                    t.inferred = True
                if t.recipient is None and t.supplier == others[0].supplier:
                    t.recipient = others[0].recipient
                    t.inferred = True
        # an item claimed by two triggers belongs to the nearer complete one
        # ("accusations that X has been supplying Y", "receives an influx of Y from X")
        best: dict[int, Transfer] = {}

        def rank(t: Transfer) -> tuple:
            return (t.supplier is None or t.recipient is None or t.supplier == t.recipient,
                    abs(t.item.start - t.trigger_start))

        for t in sent_transfers:
            cur = best.get(t.item.start)
            if cur is None or rank(t) < rank(cur):
                best[t.item.start] = t
        sent_transfers = [t for t in sent_transfers if best[t.item.start].trigger_start == t.trigger_start]
        self.transfers.extend(sent_transfers)
        self._passed_on(s, sent_transfers)
        self._candidates(s)
        self._breakdown(s)
        for it in s.items:
            if it.system and not _REPLACED.search(self.text, max(0, it.start - 60), it.start):
                self.last_system_item = it
        before = len(self.transfers)
        self._relative_frames(s)
        relative = self.transfers[before:]
        for t in sent_transfers:
            # "Denmark, which pledged 19 aircraft, said that 14 of them had arrived": "them" are the relative
            # clause's aircraft, not the last ones named before the sentence
            r = next((r for r in relative if r.item.category == t.item.category and r.item.start < t.item.start), None)
            if r is not None and t.kind == "move" and _BARE_COUNT_TEXT.fullmatch(t.item.text):
                t.supplier, t.recipient = r.supplier, r.recipient
        self._participle_frames(s)
        self._giver_object_relative(s)
        self._remaining_due(s)
        self._copular_order(s)

    def _copular_order(self, s: Sent) -> None:
        """ "The four turboprops are the first of six ordered under a contract signed in 2024": the order the
        things just delivered belong to, between the parties of the latest transfer of their kind."""
        if "first" not in s.text:
            return  # (a cheap test before the pattern: this runs on every sentence)
        m = _COPULAR_FIRST_OF.match(s.text)
        if m is None:
            return
        q = next(iter(find_quantities(m.group("n"))), None)
        if q is None or any(t.sent is s and t.quantity and t.quantity.get("low") == q.low for t in self.transfers):
            return
        o = s.start
        prior = next((t for t in reversed(self.transfers) if t.sent is not s and t.supplier
                      and not t.negated and 0 < s.index - t.sent.index <= 3), None)  # (its recipient may come later)
        if prior is None:
            return
        it = Item(o + m.start("n"), o + m.end("n"), m.group("n"), prior.item.category, prior.item.system)
        self.transfers.append(Transfer(
            sent=s, supplier=prior.supplier, recipient=prior.recipient, item=it, status="ordered",
            hedge=self._hedge(s, s.start, s.end), claimants=self._claimants(s, it.start), trigger_start=o + m.end("n"),
            quantity={"low": q.low, "high": q.high, "unit": None, "qualifier": q.qualifier, "text": q.text},
            kind="recv", inferred=True))

    def _remaining_due(self, s: Sent) -> None:
        """ "The remaining four are expected before the end of June", "the two remaining aircraft would arrive
        in November", "the remaining three are due to follow": the rest of an order reported before, still to
        come. The parties and the thing are those of the latest transfer of its kind (in this sentence or the
        article's before it); the status is the order's ("ordered"), whatever the frames of the sentence said."""
        low = s.text.lower()
        if "remaining" not in low and "last" not in low and "final" not in low:
            return  # (a cheap test before the pattern: this runs on every sentence)
        for m in _REMAINING.finditer(s.text):
            o = s.start  # (the pattern reads the sentence alone: "^" is its start)
            g = "n" if m.group("n") else "n2"
            q = next(iter(find_quantities(m.group(g))), None)
            if q is None:
                continue
            named = next((i for i in s.items if o + m.start(g) <= i.start < o + m.end()), None)
            here = [t for t in self.transfers if t.sent is s and o + m.start(g) <= t.item.start < o + m.end()]
            if here:
                for t in here:  # a frame of the sentence read it: the order's part, not a plan
                    t.status = "ordered"
                continue
            # (parties may still be open: the context stage fills them, as for the transfer this one continues)
            cands = [t for t in self.transfers if (t.supplier or t.recipient) and not t.negated
                     and t.trigger_start < o + m.start() and s.index - t.sent.index <= 3
                     and (named is None or t.item.category == named.category)]
            # the order it is the rest of: the latest one counted above it, else the latest transfer of its kind
            prior = next((t for t in reversed(cands) if t.quantity and (t.quantity.get("high") or 0) > q.low), None) \
                or (cands[-1] if cands else None)
            if prior is None:
                continue
            it = named or Item(o + m.start(g), o + m.end(g), m.group(g), prior.item.category, prior.item.system)
            self.transfers.append(Transfer(
                sent=s, supplier=prior.supplier, recipient=prior.recipient, item=it, status="ordered",
                hedge=self._hedge(s, s.start, s.end), claimants=self._claimants(s, it.start),
                trigger_start=o + m.start(), quantity={"low": q.low, "high": q.high, "unit": None,
                                                   "qualifier": q.qualifier, "text": q.text},
                kind="move", inferred=True))

    def _giver_object_relative(self, s: Sent) -> None:
        """An item's relative clause naming its giver: "the JF-17 fighters that Pakistan's aircraft industry
        handed over in May 2021", "the Leopards which Spain sent to Kyiv". The recipient is the one after "to",
        else the sentence's subject state, else the state the article is about. Only where no frame of the
        sentence already has the item."""
        for it in s.items:
            if not (is_weapon(it.category) or it.category == "troops") or \
                    any(t.item.start == it.start for t in self.transfers if t.sent is s):
                continue
            m = _ITEM_THAT_GIVER.match(self.text, it.end, s.end)
            if m is None:
                continue
            giver = next((a for a in s.actors if m.start("rel") <= a.start <= m.end("rel") and a.end > m.end("rel")
                          and a.kind != "demonym"), None)  # ("the North" is the actor with its article)
            if giver is None:
                continue
            g = giver.id if giver.id.startswith("country:") else self.g.country_of(giver.id)
            verb = _GAVE_AFTER.match(self.text, m.end("giver"))
            if not g or verb is None or _NEGATION.search(self.text, m.end("giver"), verb.end()):
                continue
            to = re.match(r"\s+(?:to|for)\s+(?:the\s+)?", self.text[verb.end():verb.end() + 12])
            rec = next((a for a in s.actors if to and a.start == verb.end() + to.end() and a.kind != "demonym"),
                       None)
            recipient = rec.id if rec else None
            if recipient is None:
                subj = next((a for a in s.actors if a.end <= it.start and a.id.startswith("country:")
                             and a.kind not in ("demonym", "dateline") and a.id != g), None)
                recipient = subj.id if subj else self._home_state()
            if not recipient or recipient == g:
                continue
            word = verb.group(0).strip().lower()
            status = "promised" if re.search(r"pledged|promised|would|will", word) else "delivered"
            self.transfers.append(Transfer(
                sent=s, supplier=g, recipient=recipient, item=it, status=status, hedge=self._hedge(s, s.start, s.end),
                claimants=self._claimants(s, it.start), trigger_start=verb.start(), quantity=self._quantity(s, it),
                kind="give", inferred=rec is None))

    def _colon_elaboration(self, s: Sent, frames: list[Transfer]) -> list[Transfer]:
        """ "approved possible sales that would give Taiwan the NASAMS system: three NASAMS units for up to
        $1.16 billion, including three Sentinel radars and 123 AMRAAM missiles": after a colon, the items
        that spell out one frame's thing. The first of the frame's kind gives it its count; the others are
        transfers of their own between the same parties, with the same status."""
        if len(frames) != 1 or ":" not in s.text:
            return []
        t = frames[0]
        if not t.supplier or not t.recipient or t.negated:
            return []
        colon = self.text.find(":", t.item.end, s.end)
        if colon < 0 or re.search(r"[;]", self.text[t.item.end:colon]) or colon - t.item.end > 60:
            return []
        out: list[Transfer] = []
        for it in self._items_between(s, colon + 1, s.end):
            if not is_weapon(it.category) and it.category != "technology":
                continue
            q = self._quantity(s, it)
            same = (it.system and it.system == t.item.system) or (not it.system and it.category == t.item.category
                                                                   and t.item.system is None)
            if not out and same and t.quantity is None:
                t.quantity = q  # the count of the thing itself
                continue
            out.append(Transfer(sent=s, supplier=t.supplier, recipient=t.recipient, item=it, status=t.status,
                                hedge=t.hedge, claimants=t.claimants, trigger_start=t.trigger_start, quantity=q,
                                kind="contain"))
        return out

    def _distributed(self, s: Sent, frames: list[Transfer]) -> list[Transfer]:
        """ "The order covers five aircraft for the Netherlands and four for Austria": each count with its
        own recipient (a bare count takes the item before it)."""
        hits = []
        for a in s.actors:
            if not a.id.startswith("country:") or a.kind in ("demonym", "demonym_group"):
                continue
            m = next((x for x in _COUNT_FOR.finditer(self.text, max(s.start, a.start - 60), a.start)
                      if x.end() == a.start), None)
            if m is not None:
                hits.append((m, a))
        if len(hits) < 2:
            return frames
        out = list(frames)
        for m, a in hits:
            n_start = m.start("n")
            own = next((t for t in out if t.item.start <= n_start < t.item.end or
                        (n_start < t.item.start and re.fullmatch(r"[\s\w-]*", self.text[n_start:t.item.start])
                         and t.item.end <= m.end())), None)
            q = find_quantities(m.group("n"))
            quantity = {"low": q[0].low, "high": q[0].high, "unit": None, "qualifier": q[0].qualifier,
                        "text": m.group("n")} if q else None
            if own is not None:
                own.recipient, own.quantity, own.split = a.id, quantity or own.quantity, True
                continue
            template = next((t for t in reversed(out) if t.item.end <= n_start), None)
            if template is None:
                continue
            item = Item(n_start, m.end("n"), m.group("n"), template.item.category, template.item.system)
            out.append(Transfer(**{**template.__dict__, "item": item, "recipient": a.id, "quantity": quantity,
                                   "trigger_start": template.trigger_start, "split": True}))
        return out

    def _second_objects(self, s: Sent, frames: list[Transfer]) -> list[Transfer]:
        """ "Baykar has sold the TB2 to Bangladesh, ..., and the Akinci to Pakistan": a second object with
        its own recipient after a giving frame (the same supplier, status and claimants)."""
        out: list[Transfer] = []
        for t in frames:
            if t.kind != "give" or not t.supplier or not t.recipient:
                continue
            for it in s.items:
                if it.start <= t.item.end or any(o.item.start == it.start for o in frames + out):
                    continue
                rel = it.start - s.start
                if not re.search(r",[\s,]*and\s+(?:also\s+)?(?:the\s+|its\s+|their\s+|some\s+)?$",
                                 s.masked[max(0, rel - 30):rel]):
                    continue
                m = re.match(r"\s+to\s+(?:the\s+)?", self.text[it.end:it.end + 12])
                rec = next((a for a in s.actors if m and a.start == it.end + m.end() and a.kind != "demonym"), None)
                if rec is None or rec.id == t.supplier:
                    continue
                out.append(Transfer(sent=s, supplier=t.supplier, recipient=rec.id, item=it, status=t.status,
                                    hedge=t.hedge, claimants=self._claimants(s, it.start),
                                    trigger_start=t.trigger_start, quantity=self._quantity(s, it), kind="give"))
        for t in frames:
            # "had bought Orlan-10 drones from Russia and around 40 armoured vehicles from the UAE": a second
            # object with its own seller after a buying frame
            if t.kind != "recv" or not t.supplier or not t.recipient:
                continue
            for it in s.items:
                if it.start <= t.item.end or any(o.item.start == it.start for o in frames + out):
                    continue
                if not _AND_OBJECT.search(self.text, max(s.start, it.start - 40), it.start) and not \
                        _AND_NAMED_OBJECT.search(self.text, max(s.start, it.start - 60), it.start):
                    continue
                m = re.match(rf"\s+(?:{_FROM_SELLER}|(?:built|made|manufactured|produced)\s+(?:in|by))\s+(?:the\s+)?",
                             self.text[it.end:it.end + 40])
                sup = next((a for a in s.actors if m and a.start == it.end + m.end() and a.kind != "demonym"
                            and a.id.startswith(("country:", "org:"))), None)
                if sup is not None and sup.id.startswith("org:"):
                    # "along with King Air surveillance aircraft built by Textron": the maker's state sells
                    c = self.g.country_of(sup.id)
                    sup = Actor(sup.start, sup.end, c, c, sup.kind) if c else None
                if sup is None or sup.id in (t.recipient, t.supplier):
                    continue
                out.append(Transfer(sent=s, supplier=sup.id, recipient=t.recipient, item=it, status=t.status,
                                    hedge=t.hedge, claimants=t.claimants, trigger_start=t.trigger_start,
                                    quantity=self._quantity(s, it), kind="recv"))
        for t in frames:
            # "sent about 11,000 soldiers to Russia from October, and at least 3,000 more in January": a further
            # count of the same thing to the same party
            if t.kind not in ("give", "recv") or not t.supplier or not t.recipient or t.quantity is None:
                continue
            m = _N_MORE.search(self.text, t.item.end, s.end) or _ANOTHER_N.search(self.text, t.item.end, s.end)
            if m is None or any(o.item.start <= m.start() < o.item.end for o in frames + out) or \
                    any(i.start < m.start("n") < i.end or t.item.end < i.start < m.start() for i in s.items
                        if i.start != t.item.start):
                continue
            q = next(iter(find_quantities(m.group("q"))), None)
            if q is None:
                continue
            it = Item(m.start("n"), m.end(), self.text[m.start("n"):m.end()], t.item.category, t.item.system)
            supplier, recipient = t.supplier, t.recipient
            frm = next((a for a in s.actors if a.start >= m.end() and a.id.startswith("country:") and
                        re.fullmatch(r"\s+from\s+(?:the\s+)?", self.text[m.end():a.start])), None)
            if frm is not None and t.kind == "recv" and frm.id != recipient:
                supplier = frm.id  # "12 used Typhoons from Qatar and another 12 from Oman": another seller
            elif "another" in m.group(0).lower() and frm is None:
                continue
            out.append(Transfer(sent=s, supplier=supplier, recipient=recipient, item=it, status=t.status,
                                hedge=t.hedge, claimants=t.claimants, trigger_start=t.trigger_start,
                                quantity={"low": q.low, "high": q.high, "unit": t.quantity.get("unit"),
                                          "qualifier": q.qualifier, "text": q.text}, kind=t.kind))
        for t in frames:
            # "bought 108 tanks in 2019, and the ministry expects another 42 in 2025 and the final 28 in 2026":
            # the batches still to come of the same order
            if t.kind not in ("give", "recv", "move") or not t.supplier or not t.recipient or t.quantity is None \
                    or t.status not in ("ordered", "delivered"):
                continue
            cue = _STILL_TO_COME.search(self.text, t.item.end, s.end)
            if cue is None or any(t.item.end < i.start < cue.start() for i in s.items):
                continue
            for m in _FURTHER_BATCH.finditer(self.text, cue.start(), s.end):
                if any(i.start <= m.start("n") < i.end or (i.start > t.item.end and i.start < m.start()
                                                            and i.start not in (o.item.start for o in out))
                       for i in s.items):
                    break
                q = next(iter(find_quantities(m.group("n"))), None)
                if q is None:
                    break
                it = Item(m.start("n"), m.end("n"), m.group("n"), t.item.category, t.item.system)
                out.append(Transfer(sent=s, supplier=t.supplier, recipient=t.recipient, item=it, status="ordered",
                                    hedge=t.hedge, claimants=self._claimants(s, m.start()),
                                    trigger_start=t.trigger_start,
                                    quantity={"low": q.low, "high": q.high, "unit": t.quantity.get("unit"),
                                              "qualifier": q.qualifier, "text": q.text}, kind=t.kind))
        return out

    def _giver_relative(self, s: Sent, ante: Actor, m: re.Match, lo: int, hi: int) -> None:
        """A giver's relative clause: "- Denmark, which pledged 19 aircraft, said ...": to the one named in it,
        else to the state the article is about (its main recipient so far)."""
        ts, te = m.start(), m.end()
        items = [i for i in s.items if te <= i.start and i.end <= hi]
        if not items:
            return
        rec = self._to_recipient(s, te, hi)
        recipient = rec.id if rec is not None else self._home_state()
        if not recipient or recipient == ante.id or not recipient.startswith("country:"):
            return
        trig = m.group(0).lower()
        tstat = trigger_status("give", self.text, ts, te)
        it = items[0]
        self.transfers.append(Transfer(
            sent=s, supplier=ante.id, recipient=recipient, item=it,
            status=self._status(self.text[lo:ts], trig, "give", s, it, self.text[lo:ts], tstat),
            hedge=self._hedge(s, lo, hi), claimants=self._claimants(s, it.start), trigger_start=ts,
            quantity=self._quantity(s, it), kind="give"))
        if it.system:
            self.last_system_item = it

    def _relative_frames(self, s: Sent) -> None:
        """A buyer's relative clause: "Brazil, which ordered 36 of the jets in 2014, ...", "Egypt, which
        ordered 30 more earlier this year, ..." (the main frames never see inside a relative clause)."""
        for rm in _RELATIVE.finditer(s.text):
            if rm.group("rel") not in ("which", "who"):
                continue
            lo, hi = s.start + rm.start(), s.start + rm.end()
            ante = next((a for a in s.actors if a.end == lo and a.kind != "demonym" and a.id.startswith("country:")),
                        None)
            if ante is None:
                continue
            for m in TRIGGER_RE.finditer(self.text, lo, hi):
                if m.lastgroup == "give":
                    self._giver_relative(s, ante, m, lo, hi)
                    continue
                if m.lastgroup != "recv":
                    continue
                tstat = trigger_status("recv", self.text, m.start(), m.end())
                if tstat not in ("ordered", "delivered") and not m.group(0).lower().startswith("receiv"):
                    continue
                ts, te = m.start(), m.end()
                end = next((x.start() + te for x in re.finditer(r"\band\s+(?:has|have|had)\b|,", self.text[te:hi])),
                           hi)
                items = [i for i in s.items if te <= i.start and i.end <= end]
                bare = re.match(r"\s+(\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+"
                                r"(?:more|of\s+(?:the|them|those)\b)", self.text[te:end])
                if not items and bare and self.last_system_item is not None:
                    last = self.last_system_item
                    items = [Item(te + bare.start(1), te + bare.end(1), bare.group(1), last.category, last.system)]
                for it in items[:1]:
                    sup = self._actor_after(s, te, end, "from")
                    supplier = sup.id if sup else (self._maker(it) or self._origin(s, it))
                    if supplier is None and self.last_system_item is not None:
                        supplier = self._maker(self.last_system_item) if it.category == \
                            self.last_system_item.category else None
                    if not supplier or supplier == ante.id:
                        continue
                    trig = m.group(0).lower()
                    self.transfers.append(Transfer(
                        sent=s, supplier=supplier, recipient=ante.id, item=it,
                        status=self._status(self.text[lo:ts], trig, "recv", s, it, self.text[lo:ts], tstat),
                        hedge=self._hedge(s, lo, end), claimants=self._claimants(s, it.start), trigger_start=ts,
                        quantity=self._quantity(s, it), kind="recv"))

    def _participle_frames(self, s: Sent) -> None:
        """A reduced relative clause after the item: "the first six F-16 jets bought from Denmark",
        "helicopters purchased from the United States": the seller after "from", the buyer the state the
        sentence is about (its first one before the item: the subject, a possessive, the dateline)."""
        for m in _PARTICIPLE.finditer(s.text):
            pos = s.start + m.start()
            it = next((i for i in reversed(s.items) if i.end <= pos and
                       re.fullmatch(r"[\s,]*(?:[\w-]+(?:\s+[\w-]+){0,2})?", self.text[i.end:pos])), None)
            if it is None or any(t.sent is s and t.item.start == it.start for t in self.transfers):
                continue
            sup = self._actor_after(s, s.start + m.end() - 1, min(s.end, s.start + m.end() + 40),
                                    _MAKER_PREPS if m.group("made") else "from")
            if sup is None or not sup.id.startswith("country:"):
                continue
            delivered = _DELIVERY_CUE.search(self.text[s.start:it.start]) or (
                not m.group("made") and _IN_SERVICE.search(self.text[s.start:it.start]))
            if m.group("made") and not delivered:
                continue  # "drones made by Baykar" alone says who makes them, not that anyone got them
            rec = next((a for a in s.actors if a.end <= it.start and a.id.startswith("country:") and
                        a.id != sup.id), None)
            if rec is None:
                continue
            self.transfers.append(Transfer(
                sent=s, supplier=sup.id, recipient=rec.id, item=it, status="delivered" if delivered else "ordered",
                hedge=self._hedge(s, s.start, s.end), claimants=self._claimants(s, it.start),
                trigger_start=pos, quantity=self._quantity(s, it), kind="recv"))

        for m in (_BOUGHT_BY_FROM.finditer(self.text, s.start, s.end) if " by " in s.text else ()):
            # "The 36 Rafale fighter aircraft bought by India from France departed": the buyer after "by"
            it = next((i for i in reversed(s.items) if i.end <= m.start() and
                       re.fullmatch(r"(?:\s+[a-z-]+){0,2}", self.text[i.end:m.start()])), None)
            if it is None:
                continue
            buyer = next((a for a in s.actors if a.start == m.start("buyer") and a.id.startswith("country:")), None)
            seller = next((a for a in s.actors if a.start == m.end() and a.kind != "demonym"), None)
            if buyer is None or seller is None:
                continue
            sid = seller.id if seller.id.startswith("country:") else self.g.country_of(seller.id)
            if not sid or sid == buyer.id:
                continue
            framed = [t for t in self.transfers if t.sent is s and t.item.start == it.start]
            for t in framed:  # "... bought by Lithuania from France arrived by rail": the arrival's parties
                if t.supplier is None and t.recipient in (None, buyer.id):
                    t.supplier = sid
                if t.recipient is None and t.supplier == sid:
                    t.recipient = buyer.id
            if framed:
                continue
            self.transfers.append(Transfer(
                sent=s, supplier=sid, recipient=buyer.id, item=it, status="ordered",
                hedge=self._hedge(s, s.start, s.end), claimants=self._claimants(s, it.start),
                trigger_start=m.start(), quantity=self._quantity(s, it), kind="recv"))
        for m in (_ORDERED_WHEN.finditer(self.text, s.start, s.end)
                  if re.search(r"ordered|bought|purchased", s.text) else ()):
            # "The largest item in that backlog is 66 F-16V fighter jets ordered in 2019 for $8 billion": a counted
            # named system ordered, by the state the article is about, from its maker's country
            it = next((i for i in s.items if i.end <= m.start() and i.system and self._counted(i) and
                       re.fullmatch(r"(?:\s+(?-i:[a-z])[a-z-]+){0,2}", self.text[i.end:m.start()])), None)
            if it is None or any(t.sent is s and t.item.start == it.start for t in self.transfers):
                continue
            maker = self._maker(it)
            rec = next((a for a in s.actors if a.end <= it.start and a.id.startswith("country:") and
                        a.kind != "demonym" and a.id != maker), None)
            recipient = rec.id if rec else self._home_state()
            if not maker or not recipient or recipient == maker:
                continue
            self.transfers.append(Transfer(
                sent=s, supplier=maker, recipient=recipient, item=it, status="ordered",
                hedge=self._hedge(s, s.start, s.end), claimants=self._claimants(s, it.start),
                trigger_start=m.start(), quantity=self._quantity(s, it), kind="recv", inferred=rec is None))

    def _weak(self, it: Item, kind: str) -> bool:
        if re.fullmatch(r"(?:support|assistance|help)", it.text, re.I):
            return True
        generic = re.fullmatch(r"(?:(?:similar|previous|same|other|further|additional|such)\s+)?"
                               r"(?:systems?|batter(?:y|ies))", it.text, re.I)
        return bool(generic and it.system is None and self.last_system_item is None)

    def _resolve_anaphoric(self, it: Item, s: Sent | None = None) -> Item:
        last = self.last_system_item
        here = [i for i in (s.items if s is not None else ()) if i.system and i.end <= it.start]
        if here and it.system is None and _GENERIC_HEAD.fullmatch(it.text):
            last = here[-1]  # "Indonesia, which has ordered 42 Rafales, received its first aircraft"
        if it.system is None and last is not None and it.category in ("weapons", "missiles") and \
                re.fullmatch(r"(?:weapons|missiles|systems)", it.text, re.I) and \
                re.search(r"\b(?:the|these|those)\s+$", self.text[max(0, it.start - 8):it.start], re.I) and \
                (it.category == "weapons" or last.category in ("ballistic_missiles", "missiles", "air_defense")):
            # "the weapons", "these missiles": the system spoken of
            return Item(it.start, it.end, it.text, last.category, last.system)
        if it.system is None and re.search(r"\b(?:systems?|batter(?:y|ies))$", it.text, re.I) and \
                self.last_system_item is not None and it.category == "weapons" and \
                not re.search(r"\bweapons?\b", it.text, re.I) and \
                self.last_system_item.category in _BATTERY_KINDS + (("technology",) if "batter" not in it.text.lower()
                                                                     else ()):
            # "three batteries" after BrahMos (not after the C-17 that flew them in)
            return Item(it.start, it.end, it.text, self.last_system_item.category, self.last_system_item.system)
        if it.system is None and last is not None and it.category == last.category and \
                _GENERIC_HEAD.fullmatch(it.text) and \
                _DEFINITE_BEFORE.search(self.text, max(0, it.start - 30), it.start):
            # "received its first aircraft", "their remaining tanks": the system spoken of
            return Item(it.start, it.end, it.text, last.category, last.system)
        if it.category == "missiles" and it.system is None and re.fullmatch(r"(?:[\w-]+\s+)?missiles?", it.text, re.I):
            # "North Korean missiles" after "ballistic missiles" from the same maker: the same kind
            prior = [t for t in self.transfers if t.item.category == "ballistic_missiles"]
            if prior:
                return Item(it.start, it.end, it.text, "ballistic_missiles", it.system)
        return it

    def _own_buyer_after(self, s: Sent, it: Item) -> bool:
        """ "(It also includes) the 26 Rafale M jets India ordered": the item has a buyer of its own (its recv
        frame reports it), not the package's parties."""
        a = next((a for a in s.actors if a.start > it.end), None)
        return a is not None and a.id.startswith("country:") and \
            re.fullmatch(r"\s+(?:that\s+|which\s+)?(?:the\s+)?", self.text[it.end:a.start]) is not None and \
            re.match(r"\s+(?:has\s+|had\s+|have\s+)?(?:ordered|bought|acquired|purchased|signed\s+for|received)\b",
                     self.text[a.end:a.end + 30]) is not None

    def _possessive_before(self, s: Sent, pos: int) -> Actor | None:
        for a in s.actors:
            if a.end <= pos and pos - a.end <= 40:
                if re.fullmatch(r"['’]s\s+(?:[a-z-]+\s+){0,3}", self.text[a.end:pos]):
                    return a
        return None

    def _to_recipient(self, s: Sent, lo: int, hi: int) -> Actor | None:
        aid = self._actor_after(s, lo, hi, r"to\s+(?:aid|support|help|assist|bolster|reinforce|back|fight\s+for|"
                                           r"fight\s+alongside|supply|arm)")
        if aid:
            return aid
        direct = self._actor_after(s, lo, hi, "to|into") or self._actor_after(
            s, lo, hi, r"to\s+the\s+(?:port|harbou?r|airport|naval\s+base|air\s*base|city)\s+of")
        if direct is None:
            # "exported TB2 drones to more than 30 countries, including Poland, Ukraine and Morocco": the named ones
            m = _TO_COUNTRIES_INCLUDING.search(self.text, lo, hi)
            if m is not None:
                return next((a for a in s.actors if a.start == m.end() and a.id.startswith("country:")), None)
        return direct

    def _direct_object_actor(self, s: Sent, te: int, hi: int) -> Actor | None:
        for a in s.actors:
            if a.start < te or a.start >= hi or a.kind == "demonym":
                continue
            gap = self.text[te:a.start]
            if re.fullmatch(r"\s+(?:(?:also|reportedly|allegedly|already|now|secretly|even)\s+)?(?:the\s+)?", gap):
                after = self.text[a.end:a.end + 40]
                if re.match(r"(?:['’]s\s+\w+)?\s+with\b", after) or any(i.start >= a.end and
                        re.fullmatch(r"\s+(?:[\w,.-]+\s+){0,4}", self.text[a.end:i.start]) for i in s.items):
                    return a
            return None
        return None

    def _items_between(self, s: Sent, lo: int, hi: int) -> list[Item]:
        out = []
        for i in s.items:
            if i.start >= lo and i.end <= hi:
                rel = i.start - s.start
                if s.masked and s.masked[rel] == " " and s.text[rel] != " ":
                    continue  # inside a relative clause ("engines, which can be adapted for drones,")
                out.append(i)
        return out

    def _counted(self, it: Item) -> bool:
        return _COUNT_BEFORE.search(self.text, max(0, it.start - 30), it.start) is not None or \
            bool(_DIGIT_START.match(it.text))

    def _merge_same_category(self, items: list[Item]) -> list[Item]:
        out: list[Item] = []
        if len(items) > 1:
            # "a contract for four Gripen jets, the first step in replacing an F-16 fleet": the fleet replaced is
            # not bought
            kept = [it for it in items if not (it.system and _REPLACED.search(self.text, max(0, it.start - 60),
                                                                               it.start))]
            items = kept or items
        for it in items:
            same = next((o for o in out if o.category == it.category and (o.system == it.system or (
                # "Bayraktar TB2, Aksungur, Akinci and Anka combat drones": a list of one kind without counts is
                # one transfer (the first system names it; the item text keeps the list)
                (o.system or it.system) and not self._counted(o) and not self._counted(it) and
                # (systems of two makers' states are two transfers: "Patriot and IRIS-T systems")
                not (o.system and it.system and self._maker(o) != self._maker(it))))), None)
            if same is not None and re.fullmatch(r"\s*(?:,|and|or|as\s+well\s+as)\s*(?:and\s+)?",
                                                 self.text[same.end:it.start], re.I):
                idx = out.index(same)
                out[idx] = Item(same.start, it.end, self.text[same.start:it.end], same.category, same.system)
            elif same is None or _OWN_COUNT.search(self.text[max(0, it.start - 30):it.start]):
                # another item of the same kind with its own count: "48 pods of GMLRS rockets, 30,000
                # rounds of artillery ammunition" are two transfers
                out.append(it)
        return out

    def _origin(self, s: Sent, it: Item) -> str | None:
        for a in s.actors:
            if a.end > it.start:
                continue
            gap = self.text[a.end:it.start]
            if a.kind in ("demonym", "demonym_group") and re.fullmatch(
                    r"(?:-(?:made|built|produced|designed|manufactured|supplied)\s+|\s+)(?:[\w-]+\s+){0,2}", gap):
                return a.id
            if a.kind in ("name", "abbreviation") and a.id.startswith("country:") and \
                    re.fullmatch(r"-(?:made|built|produced|manufactured|supplied)\s+(?:[\w-]+\s+){0,2}", gap):
                return a.id  # "38 US-manufactured M1A2T tanks", "Russia-made drones"
        return None

    def _conjuncts(self, s: Sent, a: Actor, forward: bool) -> list[Actor]:
        """ "Germany and Britain", "Britain, France and Germany": the actors coordinated with ``a``
        (before it when forward is False, after it otherwise), without ``a`` itself."""
        out: list[tuple[Actor, bool]] = []
        cur = a
        seq = [x for x in s.actors if x.start >= a.end] if forward else \
            list(reversed([x for x in s.actors if x.end <= a.start]))
        for x in seq:
            gap = self.text[cur.end:x.start] if forward else self.text[x.end:cur.start]
            if x.kind == "demonym" or x.entity.startswith("person:") or \
                    not re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+|as\s+well\s+as\s+)(?:the\s+)?", gap):
                break
            out.append((x, bool(re.search(r"\band\b|\bas\s+well", gap))))
            cur = x
        if forward:
            # "to A, B and C": a list ends with "and"
            last_and = max((k for k, (_, has_and) in enumerate(out) if has_and), default=-1)
            return [x for x, _ in out[:last_and + 1]]
        # "A, B and C have sent": the link right before the subject is "and"
        if not out or not out[0][1]:
            return []
        return list(reversed([x for x, _ in out]))
