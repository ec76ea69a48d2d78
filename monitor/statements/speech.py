"""The vocabulary and patterns of reported speech that :mod:`monitor.statements.extract` reads with.

Takes nothing and gives constants: reporting verbs (inflected from base forms by
:func:`verb_pattern`), role words (people, institutions, outsiders, media), words that never
belong to a speaker's name, and the regular expressions for speaker phrases and speech frames
("according to X", "X: …", "X stated this", "…, adding that …"). Shared by :mod:`monitor.statements.extract`
and :mod:`monitor.statements.quotes`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from monitor.statements.actors import trie_pattern

# Inflected forms that introduce speech. Base forms from settings are inflected by _inflect().
REPORTING_FORMS = (
    "said", "says", "say", "told", "tells", "added", "adds", "stressed", "stresses", "noted", "emphasised",
    "emphasized", "underlined", "underscored", "stated", "declared", "announced", "warned", "warns", "urged",
    "urges", "accused", "accuses", "condemned", "rejected", "denied", "insisted", "insists", "claimed",
    "argued", "argues", "asserted", "affirmed", "reaffirmed", "confirmed", "explained", "remarked", "commented",
    "complained", "suggested", "proposed", "pledged", "promised", "vowed", "threatened", "acknowledged",
    "admitted", "recalled", "pointed out", "wrote", "writes", "posted", "tweeted", "replied", "responded",
    "reiterated", "welcomed", "criticised", "criticized", "slammed", "dismissed", "described", "called for",
    "called on", "demanded", "questioned", "expressed", "voiced", "denounced", "decried", "hailed", "praised",
    "cautioned", "alleged", "maintained", "contended", "predicted", "blamed", "branded", "labelled", "labeled",
    "regretted", "appealed", "protested", "lamented", "deplored", "made clear", "went on to say",
    "quoted as saying", "cited as saying", "assured", "objected", "conceded", "repeated",
    "informed", "conveyed that", "believes that", "agreed that", "claims", "spoke of", "reports that", "called", "maintains", "continued by saying", "reads", "was quoted as saying", "was cited as saying", "underlines", "stresses", "notes", "recalls",
    # a speech noun after a verb of giving or expressing: "X gave assurances that …", "Baku continues to
    # express its readiness for …"
    "gave assurances", "gives assurances", "offered assurances", "provided assurances", "gave an assurance",
    "continues to express", "continued to express",
    # "X calls the move a provocation" / "X qualified the drills as …": naming speech (see the guard in extract)
    "calls", "qualified", "qualifies", "characterised", "characterized", "characterises", "characterizes",
    # the wires' English of Russian and Iranian briefings: "X drew attention to the fact that …", "Moscow proceeds
    # from the fact that …", "He went on to note that …", "X is convinced that …"
    "drew attention to the fact that", "draws attention to the fact that", "pointed to the fact that",
    "proceeds from the fact that", "proceeds from the premise that", "proceeded from the fact that",
    "went on to note", "went on to add", "went on to stress", "went on to emphasise", "went on to emphasize",
    "went on to point out", "went on to underline", "went on to explain", "went on to warn",
    "is convinced that", "was convinced that", "is confident that", "was confident that",
    # "X encouraged both sides to …" (like "urged"; not the present "encourages" of a government's own text)
    "encouraged",
    # more verbs of saying, with "that" only ("Lavrov mentioned that issue" is no speech)
    "reminded that", "specified that", "clarified that", "hinted that", "observed that", "mentioned that",
    "signalled that", "signaled that", "made it clear", "did not rule out that", "does not rule out that",
    "is of the opinion that", "was of the opinion that", "thinks that", "considers that", "opined that",
    # naming speech that, unlike "called", never means a phone call; an institution's continuing claim
    "termed", "dubbed", "continues to insist", "continued to insist", "continues to maintain", "continued to maintain",
    "continues to stress", "continued to stress",
    # a stance stated with an adjective or a noun, with "that" only ("Lavrov was adamant that …"); naming with "as"
    "is sure that", "was sure that", "is certain that", "was certain that", "is hopeful that", "was hopeful that",
    "is adamant that", "was adamant that", "is concerned that", "was concerned that", "is optimistic that",
    "was optimistic that", "is worried that", "was worried that", "is sceptical that", "is skeptical that",
    "retorted that", "countered that", "doubted that", "doubts that", "raised concerns that", "raised concern that",
    "shared his view that", "shared her view that", "assessed", "assesses",
    # the report of a report: "X was reported as saying", "X is reported to have said", "X went as far as to say"
    "was reported as saying", "is reported to have said", "was reported to have said", "went as far as to say",
    "went so far as to say",
    # only right after a quote (see the guard in cues): "“…,” he went on / continued / concluded"
    "went on", "continued", "concluded",
    # only before the speaker, after the clause (see the guard in cues): "A treaty is unlikely this year, believes X"
    "believes", "thinks",
)
_SAFE_BASE = frozenset({"say", "tell", "warn", "insist", "argue", "urge", "accuse", "stress", "add"})

PERSON_ROLES = frozenset({
    "minister", "spokesman", "spokeswoman", "spokesperson", "president", "premier", "envoy", "ambassador",
    "adviser", "advisor", "aide", "diplomat", "official", "leader", "secretary", "speaker", "chief", "head",
    "representative", "negotiator", "chairman", "chairwoman", "commissioner", "chancellor", "counterpart",
    "deputy", "mayor", "governor", "general", "commander", "senator", "lawmaker", "mp", "member",
    "fm", "pm", "spox", "parliamentarian", "ombudsman", "attaché", "consul", "co-chair", "chair", "co-chairman",
})
INSTITUTION_ROLES = frozenset({
    "ministry", "government", "office", "department", "presidency", "embassy", "administration", "cabinet",
    "commission", "council", "parliament", "statement", "service", "agency", "mission", "delegation",
    "authorities", "leadership", "communique", "communiqué", "declaration", "readout", "spokespeople", "side",
    "comment", "response", "read-out",
})
DOCUMENTS = frozenset({"statement", "communique", "communiqué", "declaration", "readout", "read-out", "comment",
                        "response"})
GENERIC_PLURALS = frozenset({
    "officials", "diplomats", "critics", "analysts", "experts", "observers", "sources", "residents",
    "lawmakers", "activists", "protesters", "commentators", "politicians", "representatives", "people",
    "newspapers", "media", "source",
})
OUTSIDE_ROLES = frozenset({
    "analyst", "analysts", "expert", "experts", "opposition", "activist", "activists", "researcher", "professor",
    "journalist", "resident", "residents", "critic", "critics", "commentator", "scholar", "fellow", "observer",
    "observers", "think", "protester", "protesters", "candidate", "blogger", "former",
})
ROLE_MODIFIERS = frozenset({
    "foreign", "prime", "defence", "defense", "security", "presidential", "press", "top", "senior", "acting",
    "special", "high", "permanent", "first", "vice", "interior", "ruling", "opposition", "state", "chief",
    "national", "military", "foreign-policy", "assistant", "parliamentary", "government", "ministry's", "diplomatic",
    "diplomacy",  # "the head of Russian diplomacy" (the foreign minister, in French and Russian wire English)
    "latter",  # "The latter said": see SpeakerResolver._latter_or_former
})
PRONOUNS = {"he": "person", "she": "person", "they": "any", "it": "institution"}
ROLE_WORDS = PERSON_ROLES | INSTITUTION_ROLES | GENERIC_PLURALS | OUTSIDE_ROLES | ROLE_MODIFIERS
# Capitalised words that may open a unit but never belong to a speaker's name.
LEAD_STOP = frozenset({
    "on", "in", "at", "but", "and", "meanwhile", "however", "also", "yet", "still", "separately", "earlier",
    "later", "then", "now", "today", "yesterday", "speaking", "asked", "when", "after", "before", "while", "as",
    "this", "that", "last", "next", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "so", "thus", "instead", "nevertheless", "moreover", "indeed", "if",
    "although", "though", "because", "since", "for", "with", "by", "from", "of", "to", "mr", "mr.", "mrs", "mrs.",
    "ms", "ms.", "dr", "dr.", "quoting", "citing",
})
TITLE_WORDS = ROLE_WORDS | LEAD_STOP | frozenset({
    "affairs", "union", "state", "ministry", "foreign", "republic", "federation", "department", "house", "of",
    "the", "security", "council", "international", "national", "group", "court", "committee", "office",
    "a", "an", "its", "his", "her", "their", "one", "two", "several", "some", "many", "both", "another",
    "reuters", "ap", "afp", "tass", "ria", "interfax", "armenpress", "azertac", "apa", "news", "agency",
    "europe", "question", "answer",
    # religious and honorific titles before a name: "Ayatollah Khamenei" is no given name and surname
    "ayatollah", "hojatoleslam", "hojjatoleslam", "seyed", "seyyed", "sayyid", "sheikh",
})
TIME_BLOCKERS = frozenset({"after", "when"})  # "after X said that …": a statement when X is an actor's speaker
THAT_OR_CLAUSE = re.compile(
    r"\s+(?:that\b|[A-Z]|(?:the|a|an)\s+(?:[\w\-]+\s+){1,3}(?:would|will|could|can|should|was|were|is|are|had|has)\b)")
MEDIA = frozenset({"media", "news", "newspaper", "newspapers", "outlet", "outlets", "channel", "tv", "television",
                    "journalist", "journalists", "reporters", "broadcaster", "daily"})  # speak for no actor
COORDINATION = re.compile(r"[,;]\s+(?=(?:while|whereas|but|and)\s)|;\s+")
FIRST_PERSON = frozenset({"i", "we", "you", "us", "our", "my"})
CLAUSE_BLOCKERS = frozenset({
    "which", "who", "whom", "that", "by", "of", "to", "with", "from", "for", "against", "on", "at", "in", "than",
    "after", "about", "between", "whose", "where", "when", "if", "whether", "into", "toward", "towards",
})
EMBED_WORDS = frozenset({
    "that", "as", "the", "a", "an", "of", "be", "is", "was", "were", "are", "called", "described", "termed",
    "labelled", "labeled", "branded", "dubbed", "named", "its", "his", "her", "their", "this", "these", "those",
    "and", "or", "but", "to", "for", "with", "by", "on", "in", "at", "from", "than", "whether", "if", "because",
    "what", "how", "it", "them", "him", "us", "our", "being", "became", "remain", "remains",
})
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "sen", "rep", "gov", "st", "jr", "sr",
    "no", "vs", "etc", "approx", "amb", "pres", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.u", "inc", "corp", "co", "ltd", "dept", "min", "fig", "art", "p",
})

UP = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
CAP = rf"[{UP}][\w’'.\-]*"
ROLE_ALT = trie_pattern(sorted(w for w in ROLE_WORDS if w not in LEAD_STOP))  # a trie: fast to try at each word
TOKEN = rf"(?:{CAP}|\({CAP}\)|\[{CAP}\]|(?:{ROLE_ALT})(?:’s|'s)?)"
DET = r"(?:the|The|a|A|an|An|its|Its|his|His|her|Her|their|Their|one|One|two|Two|several|Several|some|Some|many|Many|both|Both|another|Another)"
NP = rf"(?:{DET}\s+)?{TOKEN}(?:\s+(?:(?:of|for|on|from|in|at|and|to|de|von|van|der|al|bin)\s+(?:the\s+)?)?{TOKEN})*"
NP_AT_END = re.compile(rf"(?:^|(?<=[\s,;:(\x00—–-]))(?P<np>{NP}|he|she|they|it|He|She|They|It)$")
NP_AT_START = re.compile(rf"\s*(?P<np>{NP}|he|she)(?:\s*,\s*(?P<app>[^,\x00;:]{{2,100}}?)\s*(?=[,.;]|$))?")
ADVERBIAL_END = re.compile(
    r"\s+(?:also|later|again|further|then|earlier|previously|separately|repeatedly|reportedly|publicly|"
    r"recently|once|openly|firmly|strongly|bluntly|flatly|sharply|categorically|explicitly|has|have|had|would|"
    r"afterwards|subsequently|immediately|herself|himself|itself|"
    r"will|long|already|often|subsequently|similarly|likewise|personally|directly|"
    r"on\s+[A-Z]\w+day|on\s+\d{1,2}\s+[A-Z]\w+|last\s+\w+|this\s+week|"
    # "X in an interview said", "X in an interview with IRNA said" (the interviewer or outlet named after "with")
    r"(?:in|at|during)\s+(?:a|an|the|his|her|its|their)\s+[a-z\-]+(?:\s+[a-z\-]+){0,4}"
    r"(?:\s+(?:with|to|on|for)\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})?|"
    r"on\s+(?:X|Twitter|Telegram|Facebook|Instagram|social\s+media))$"
)
APPOSITIVE_END = re.compile(r",\s*(?P<app>[^,\x00;:]{2,160}),$")  # long titles: "assistant to the President of …"
ACCORDING = re.compile(
    rf"\b(?:[Aa]ccording\s+to|[Ii]n\s+the\s+(?:words|opinion|view)\s+of)\s*"
    rf"(?P<np>(?:(?:a|an|the)\s+(?:[a-z\-]+\s+){{1,3}})?{NP}|him|her|them)(?=\s*[,.;])"  # "a diplomatic source"
    # "As Lavrov put it, …", "…, as the minister said, …": opening the unit or after a comma only
    rf"|(?:^|(?<=[,;—–]\s))[Aa]s\s+(?P<np2>{NP}|he|she|they)(?=\s*,|\s+put\s+it)")
# ACCORDING runs only where one of these occurs
ACCORDING_HINTS = ("ccording", "words", "opinion of", "view of", "As ", ", as ", "; as ", "— as ", "– as ")
# "in his words", "In Lavrov's words", "in her opinion", "In Araghchi's view" (the possessive is cut off the
# speaker phrase by the extractor)
IN_HIS_WORDS = re.compile(
    rf"\b[Ii]n\s+(?P<np>his|her|their|{NP}(?:’s|'s|’|'))\s+(?:own\s+)?(?:words|opinion|view)\b")
IN_HIS_HINTS = ("words", "opinion", "view")
# "This was stated by Deputy Foreign Minister X …": the sentences before are X's (the wires' passive "stated this")
STATED_BY = re.compile(
    rf"\s*(?:This|That|It|These\s+\w+|This\s+\w+|Those\s+\w+|The\s+(?:remarks|comments)|Such\s+\w+)\s+(?:was|were)\s+"
    rf"(?:stated|said|announced|declared|noted|emphasi[sz]ed|stressed|underlined|pointed\s+out|made|reported|"
    rf"voiced)\s+(?:(?:[a-z]+|to\s+{CAP})\s+){{0,3}}by\s+(?P<np>{NP})")
# "“…” That is how Lavrov described the situation.", "These were the words of Zakharova at …": the quote before is theirs
STATED_HOW = re.compile(
    rf"\s*(?:(?:That|This)\s+(?:is|was)\s+how\s+(?P<np>{NP})\s+(?:described|put|summed\s+up|characteri[sz]ed|"
    rf"commented\s+on|assessed|explained|answered|responded\s+to)\b|(?:These|Those|Such)\s+(?:were|are)\s+the\s+"
    rf"words\s+of\s+(?P<np2>{NP}))")
# "Kanaani made the remarks on Monday in …", "The Iranian diplomat made the comments during …": the active form
MADE_REMARKS = re.compile(
    rf"\s*(?P<np>{NP})\s+made\s+(?:the|these|those|such|his|her|its|their)\s+(?:remarks|comments|statements?)\b")
COLON_CUE = re.compile(rf"^\s*(?P<np>{NP})\s*:\s*\x00")
ANAPHOR = re.compile(
    r"\s+(?:this|the\s+aforesaid|the\s+above|as\s+much)"
    r"(?=\s*(?:[.,;]|$|(?:in|at|on|to|during|while|when|after|before|speaking|with|from|via)\b))")
# "HR/VP Kaja Kallas: …", "A.Araghchi (retranslated from Persian): …"
TURN = re.compile(rf"\s*(?:[A-Z]{{2,}}/[A-Z]{{2,}}\s+)?(?P<np>{NP})(?:\s*\([^()\n]{{1,60}}\))?\s*:\s+(?=[^\s\"“«„'‘])")
TURN_LABEL = re.compile(rf"\s*(?P<np>{NP})\s*:")  # "Foreign Ministry spokeswoman Maria Zakharova:" alone on a line
DASH_TURN = re.compile(rf"\s*(?P<np>{CAP}(?:\s+{CAP})?)\s+[–—]\s+(?=[{UP}])")
BYLINE = re.compile(rf"(?P<body>[^\n]{{15,}}?)\s+[–—-]\s+(?P<np>{NP})\s*")
# "…, which he described as “…”", "in which he described the attack as “…”": the quote is the speaker's
_DESCRIBED = r"(?:described|called|termed|labell?ed|branded|dubbed)\s+(?:[^\x00,.;:]{1,60}?\s+)?as"
DESCRIBED_AS = re.compile(_DESCRIBED + r"\s+\x00")
DESCRIBED_AS_END = re.compile(rf"\b(?:which|what)\s+\S+\s+{_DESCRIBED}$")
CONTENT = re.compile(r"[^\W\x00]{2,}")
WHO_END = re.compile(r",\s*who(?:\s+(?:also|later|then|had|has))?$")
# "…, who was also at the meeting and told reporters that …": a relative clause whose second verb is the speech
WHO_AND_END = re.compile(r",\s*who\s+[^,\x00;:.]{1,80}?\s+and(?:\s+(?:also|later|then))?$")
FIRST_PERSON_WORD = re.compile(r"\b(?:I|we|We|our|Our|my|My|us)\b")
# "the statements of X that “…”": the quote that follows is X's (only read when the unit holds a quote)
WORDS_OF = re.compile(
    rf"\b(?:statements?|remarks?|words|claims?|comments?|assertions?|assurances?)\s+(?:of|by)\s+(?P<np>{NP})"
    r"(?=\s*(?:,\s*)?(?:that\s+)?(?:allegedly\s+)?\x00)")
WORDS_OF_HINTS = ("statement", "remark", "words", "claim", "comment", "assertion", "assurance")  # WORDS_OF needs one
SPEECH_NOUN = re.compile(
    rf"\b(?:assurances?|claims?|statements?|remarks?|warnings?|promises?|pledges?)\s+(?:by|from|of)\s+"
    rf"(?P<np>{NP})\s+that\s+")
# "Lavrov's remarks that …", "Araghchi's statement that …": the possessor's words, when nothing else in the unit speaks
POSSESSIVE_SPEECH = re.compile(
    rf"(?P<np>{TOKEN}(?:\s+{TOKEN}){{0,3}})[’']s\s+(?:(?:recent|latest|earlier)\s+)?(?:remarks|statement|claims?|"
    rf"assertion|warning|assurances?|comments|words|insistence|suggestion|argument)\s+that\s+")
# "A statement by the Iranian Foreign Ministry said …", "a readout issued by the Kremlin stated …": the issuer speaks
DOCUMENT_BY = re.compile(
    rf"(?:^|(?<=\s))(?:[Aa]|[Tt]he|[Ii]ts|[Aa]\s+joint)\s+(?:joint\s+)?(?:statement|readout|communiqu[eé]|press\s+release)"
    rf"\s+(?:(?:issued|released|published|posted|distributed)\s+)?by\s+(?P<np>{NP})\s*,?\s+"
    rf"(?P<verb>said|says|read|reads|stated|states|noted|stressed|added|emphasi[sz]ed|underlined)\b")
# "Lavrov's position is that …", "The position of the Iranian side is that …": the possessor speaks
_POSITION = r"(?:(?:official|stated|principled|consistent|firm)\s+)?(?:position|stance|view)"
_IS_THAT = r"\s+(?:is|was|remains|has\s+been)\s+that\b"
POSITION_IS = re.compile(
    rf"\b(?P<np>{NP})(?:’s|'s|’|')\s+{_POSITION}{_IS_THAT}|\b[Tt]he\s+{_POSITION}\s+of\s+(?P<np2>{NP}){_IS_THAT}")
POSITION_HINTS = ("position", "stance", " view ")  # POSITION_IS runs only where one of these occurs
# "Quoting Lavrov, TASS reported: …", "Citing the ministry, IRNA said …": the one quoted speaks, not the outlet
QUOTING = re.compile(rf"(?:Quoting|Citing)\s+(?P<np>{NP}),\s+(?:[^,\x00;:]{{1,40}}?\s+)?"
                     r"(?:reported|reports|said|says|wrote|writes|added|stated)\b"
                     rf"|,\s+(?:quoting|citing)\s+(?P<np2>{NP})(?=\s*[.;]|\s*$)")  # "…, TASS reported, quoting Lavrov."
QUOTED_AS = re.compile(rf"(?:quoted|quotes|cited|cites)\s+(?P<np>{NP}|him|her|them)\s+as\s+saying\b")  # literal first: fast scan
# "Lavrov was quoted by TASS as saying …": the outlet between "by" and "as saying" (the subject speaks)
QUOTED_BY = re.compile(r"\b(?:was|were|is|has\s+been)\s+(?:quoted|cited)\s+by\s+[^,.;:\x00]{2,60}?\s+as\s+saying\b")
WORD = re.compile(r"[\w’'.\-]+")
SPACE = re.compile(r"\s+")


def _inflect(base: str) -> tuple[str, ...]:
    """Past and third-person forms of a reporting verb given in its base form."""
    b = base.strip().lower()
    if not b:
        return ()
    head, _, rest = b.partition(" ")
    tail = f" {rest}" if rest else ""
    if head.endswith("e"):
        past = head + "d"
    elif head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
        past = head[:-1] + "ied"
    else:
        past = head + "ed"
    third = head + ("es" if head.endswith(("s", "sh", "ch", "x")) else "s")
    return (past + tail, third + tail, b)


@lru_cache(maxsize=32)
def verb_pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    forms = set(REPORTING_FORMS) | {f for b in _SAFE_BASE for f in _inflect(b)}
    for base in extra:
        forms.update(_inflect(base))
    alt = trie_pattern(sorted(forms)).replace(re.escape(" "), r"\s+")
    return re.compile(rf"(?<![\w’'\-])(?:{alt})(?![\w\-])")

# "Tehran rejected the report, saying …": a participle of speech after the subject's own clause
SAYING = re.compile(
    r",\s+(?:saying|stressing|noting|warning|insisting|arguing|claiming|asserting|adding|recalling|reiterating|"
    r"expressing\s+(?:hope|confidence|concern|regret)\s+that)\s+(?=\S)")
# the readout's purpose infinitive: "The Secretary spoke with X to underscore that …", "… met Y to urge both sides
# to …": a verb of speech with a clause or an appeal, never with an object alone ("to reaffirm support for …")
PURPOSE_SPEECH = re.compile(
    r"\s+to\s+(?:(?:underscore|underline|emphasi[sz]e|stress|reaffirm|reiterate|convey|highlight|note|make\s+clear|"
    r"express\s+(?:hope|confidence|concern))\s+that|(?:urge|encourage|press|call\s+on)\s+[^,.;:\x00]{1,80}?\s+to)"
    r"\s+(?=\S)")
# "Aliyev thanked the president and said …", "She declined to comment, but said …": a second verb of speech joined to the subject's own clause
AND_SAID = re.compile(
    r"(?:\s+and|,?\s+but)\s+(?:also\s+)?(?:said|added|stressed|noted|warned|insisted|argued|recalled|reiterated|urged|"
    r"(?:emphasi[sz]ed|underscored|underlined|stated|confirmed)(?=\s+that\b)|"
    r"told\s+(?:him|her|them|reporters|journalists|(?:the|his|her)(?:\s+[\w’'\-]+){1,4}?)(?=\s+that\b))\b")
# "Mirzoyan, in turn, thanked …", "The Kremlin, however, struck …": words between subject and verb, no appositive
INTERJECTION = re.compile(
    r"(?:however|in\s+turn|in\s+response|in\s+reply|meanwhile|too|though|also|for\s+(?:his|her|its|their)\s+part)",
    re.IGNORECASE)
# "Moscow reacted sharply, with Zakharova saying …": the speaker of the participle speaks for the unit
WITH_SAYING = re.compile(
    rf",\s+with\s+(?P<np>{NP})\s+(?:saying|insisting|stressing|warning|noting|arguing|adding|claiming)\s+")
GOES_ON = re.compile(
    r",\s+(?:and\s+)?(?:adding|saying|noting|stressing|emphasi[sz]ing|underlining|underscoring|warning|insisting|"
    r"explaining|arguing|recalling|pointing\s+out|reiterating|claiming|asserting)\s+(?:that\s+)?")

# a second verb of speech with its own clause, joined to the first: "X said A and warned that B", "…, but stressed that
# B", "…; he also noted that B", "…, while stressing that B" (each reported clause is a statement)
JOINED_THAT = re.compile(
    r"(?:,?\s+(?:and|but)|;)\s+(?:(?:he|she|it|they)\s+)?(?:also\s+|further\s+)?(?:added|noted|stressed|warned|insisted|"
    r"emphasi[sz]ed|underlined|underscored|recalled|argued|pointed\s+out|reiterated|said|claimed|stated)\s+that\s+"
    r"|,\s+while\s+(?:stressing|noting|adding|warning|insisting|emphasi[sz]ing)\s+that\s+")

# "“…,” X said, and added that …", "…, before adding that …": the quote's speaker goes on (read after a direct quote)
WENT_ON = re.compile(
    r",?\s+(?:and\s+(?:(?:he|she|it|they)\s+)?(?:then\s+|also\s+|later\s+)?(?:added|noted|stressed|said|warned|insisted|emphasi[sz]ed|underlined|"
    r"recalled|explained|argued|pointed\s+out)|before\s+(?:adding|noting|stressing|saying|warning))\s+(?:that\s+)?(?=\S)")
# the words between a reported clause and the quote after it: "…, adding:", "… and said:", "…:"
LEAD_TAIL = re.compile(
    r"(?:,?\s*(?:and\s+)?(?:adding|saying|noting|stressing|warning|insisting|explaining|continuing)|"
    r",?\s+and\s+(?:then\s+)?(?:added|said|noted|stressed|warned|insisted|continued))?\s*[:,]\s*$")

THAT = re.compile(r"\bthat\b")
# a speech act whose only object points back at something said before ("X dismissed the claim.", "The ministry
# denied that, however.", "Y reaffirmed this precondition in a speech"): it has no words of its own to classify
ANAPHORIC_OBJECT = re.compile(
    r"\s*(?:(?:it|that|this|these|those)(?:,?\s+(?:however|too|again|also|outright|flatly))?"
    r"|(?:this|that|these|those|the|such)\s+(?:claims?|reports?|allegations?|accusations?|charges?|assertions?|"
    r"suggestions?|remarks|comments|statements?|speculation|rumou?rs?|preconditions?|conditions?|idea|notion|"
    r"version|demands?)(?:,?\s+(?:however|too|again|also|outright|flatly))?"
    r"(?P<adjunct>\s+(?:in|at|during|on|earlier|later|last|yesterday|today)\b[^\x00:;]*)?)\s*[.,]?\s*$")

OBJECT = re.compile(r"\s*(?:the|a|an|his|her|its|their|this|these|those)\b", re.IGNORECASE)
CLAUSE_VERBS = frozenset({"said", "says", "say", "stated", "told", "tells"})

# Speech embedded in a relative clause: "…, which it says contains …", "the creation of which he said was …",
# "who Baku claims had …". The relative word is the subject of the clause after the verb, so that clause opens
# with a finite verb (an auxiliary, a word in -s/-ed or a common irregular past): "the plan which he said
# nothing about" is no speech. The clause after the verb is the embedded speaker's statement.
_FINITE = (r"(?:is|was|were|are|has|had|have|would|will|could|can|should|must|might|may|did|does|do|"
           r"led|made|took|gave|brought|put|set|left|meant|kept|came|went|became|broke|held|ran|saw|won|lost|sent|"
           r"built|paid|fell|began|stood|got|needs|"
           r"(?!(?:his|its|this|thus|us|yes|plus|less|unless|across|perhaps|always|sometimes|towards|afterwards|"
           r"besides|whereas|as|was|bed|need|speed|hundred|sacred)\b)[a-z]{2,}(?:s|ed))\b")
_EMBEDDED_VERBS = (r"said|says|say|claimed|claims|claim|believes|believed|believe|insisted|insists|insist|warned|"
                   r"warns|argued|argues|argue|alleged|alleges|maintained|maintains|asserted|asserts|contended|"
                   r"contends|thinks|thought|considers|considered|stressed|stresses|noted|notes|added|adds|told")
EMBEDDED = re.compile(
    rf"(?<![\w’'\-])(?P<rel>(?:of\s+)?(?:which|that|who|whom|what))\s+(?P<np>{NP}|he|she|it|they)\s+"
    r"(?:(?:has|had|have|also|once|previously|earlier|repeatedly)\s+)?"
    rf"(?:(?!told\b)(?:{_EMBEDDED_VERBS})|told\s+(?:[\w’'\-]+\s+){{1,2}}?)"
    rf"\s*(?=(?:(?:also|still|already|now|never|only|not|long|always|once)\s+)*{_FINITE})")
EMBEDDED_VERB = re.compile(rf"\b(?:{_EMBEDDED_VERBS})\b")  # a cheap test before EMBEDDED: one of its verbs at all
EMBEDDED_HINTS = ("which ", "that ", "who", "what ")  # EMBEDDED runs only where one of these occurs
RESUMED = re.compile(rf",\s+{_FINITE}")  # "The road, which X says will open in May, crosses …": the main verb again
# "X said “A” and “B” …": one verb, two quotes joined by "and": two statements (the second runs on to the clause's end)
TWO_QUOTES = re.compile(r"\s*(?:that\s+)?(?P<q1>\x00+)\s*,?\s+and\s+(?:that\s+)?(?:also\s+)?(?P<q2>\x00+)")
# "… As my colleague X said, CLAUSE. …" inside someone's quote: CLAUSE is X's (reported by the quoted speaker)
QUOTED_REPORT = re.compile(
    rf"(?:^|(?<=[“\"«„‘'(])|(?<=[.!?…;—–]\s)|(?<=,\s))(?:[Aa]nd\s+)?(?:[Aa]s|[Ll]ike)\s+(?:(?:my|our)\s+(?:[\w’'\-]+\s+){{0,3}}?)?"
    rf"(?P<np>{NP})\s+(?:(?:has|had|have|rightly|once|just|already|also|recently)\s+)*"
    r"(?:said|noted|stressed|put\s+it|pointed\s+out|emphasi[sz]ed|underlined|mentioned|observed|stated|remarked)"
    r"(?:\s+[^,.;:!?\x00]{1,40}?)?,\s+(?=\S)")
QUOTED_REPORT_HINTS = ("As ", " as ", "Like ", " like ")  # QUOTED_REPORT runs only where one of these occurs

