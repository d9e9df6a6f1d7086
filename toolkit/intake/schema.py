"""The canonical participant schema: the toolkit's names for what clients send.

Every participant file, whatever its column headers, is mapped onto these fields.
Each field says what kind of value it holds (which decides how cells are parsed)
and which header wordings map to it automatically. A header maps automatically
only when exactly one field claims it; anything else needs an explicit mapping.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Field",
    "FIELDS",
    "FIELD_NAMES",
    "LIST_FIELDS",
    "SENSITIVE_FIELDS",
    "REFERENCE_FIELDS",
    "SYSTEM_COLUMNS",
    "SENIORITY_LADDER",
    "ROLES",
    "MEETING_MODES",
    "normalise_header",
    "header_tokens",
    "snake_case",
    "match_header",
]

ROLES = ("mentor", "mentee", "both")
MEETING_MODES = ("in_person", "virtual", "hybrid", "no_preference")


@dataclass(frozen=True)
class Field:
    """One canonical field.

    Attributes
    ----------
    name
        The toolkit's name (a column of ``Roster.participants``).
    kind
        How cells are parsed: ``id``, ``text``, ``email``, ``role``, ``category``,
        ``list``, ``int``, ``number``, ``level``, ``timezone``, ``date``, ``bool``,
        ``mode``, ``availability``, ``reference`` or ``references``.
    description
        What the field means, for people (shown in the mapping widget and errors).
    synonyms
        Header wordings (normalised) that map to this field exactly.
    patterns
        Groups of word stems that must all occur in a header for it to map here.
    exclude
        Word stems that stop a header from mapping here (``manager email`` is not ``email``).
    sensitive
        Demographic fields: used only for fairness audits unless a design says otherwise.
    """

    name: str
    kind: str
    description: str
    synonyms: tuple[str, ...] = ()
    patterns: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    sensitive: bool = False
    example: str = ""


_PEOPLE_WORDS = ("manager", "mentor", "mentee", "prefer", "avoid", "previous", "supervisor", "boss", "partner")

FIELDS: tuple[Field, ...] = (
    Field("participant_id", "id", "A unique id for the person (employee number or similar).",
          ("participant id", "employee id", "employee number", "staff id", "staff number", "person id",
           "worker id", "emp id", "empid", "employee no", "personnel number", "id number", "participant"),
          (("employee", "id"), ("staff", "id"), ("employee", "number"), ("staff", "number"), ("participant", "id")),
          _PEOPLE_WORDS + ("response",), example="E1042"),
    Field("email", "email", "Work email address; used to contact the person, never shown in reports.",
          ("email", "email address", "work email", "e mail", "email id", "username", "mail", "your email",
           "business email", "work email address"),
          (("email",), ("e", "mail")),
          _PEOPLE_WORDS, example="sam.lee@example.com"),
    Field("name", "text", "Full name as it should appear in agreements and introductions.",
          ("name", "full name", "your name", "employee name", "participant name", "preferred name", "display name",
           "name surname", "what is your name", "full name first and last"),
          (("full", "name"), ("your", "name")),
          _PEOPLE_WORDS + ("first", "last", "given", "family", "sur", "team", "company", "department", "site", "user"),
          example="Sam Lee"),
    Field("first_name", "text", "Given name (joined with last_name when there is no full-name column).",
          ("first name", "given name", "forename", "first", "known as", "preferred first name", "what is your first name"),
          (("first", "name"), ("given", "name"), ("known", "as")), _PEOPLE_WORDS),
    Field("last_name", "text", "Family name (joined with first_name when there is no full-name column).",
          ("last name", "surname", "family name", "last"), (("last", "name"), ("family", "name"), ("surname",)),
          _PEOPLE_WORDS),
    Field("role", "role", "mentor, mentee or both (both: peer pools, or willing to do either).",
          ("role", "programme role", "program role", "mentoring role", "mentor or mentee", "mentor mentee",
           "participant type", "participation type", "sign up as", "i would like to join as", "i want to join as",
           "i would like to be a", "join as"),
          (("mentor", "or", "mentee"), ("like", "to", "be", "a"), ("join", "as"), ("sign", "up", "as"),
           ("mentoring", "role"), ("programme", "role"), ("program", "role")),
          ("job", "title", "position", "previous", "prefer"), example="mentee"),
    Field("job_title", "text", "Job title.", ("job title", "title", "position", "job role", "job", "role title",
                                              "current role", "current position", "job name"),
          (("job", "title"), ("job", "role"), ("current", "role"), ("position",)), ("manager",),
          example="Data Analyst"),
    # Look-alikes: an NHS "staff group" or "directorate" is the unit people work in (a division or business
    # unit alone is suggested as department at intake, see toolkit.intake.questions.department_look_alikes).
    Field("department", "category", "Department or function.",
          ("department", "dept", "function", "department name", "org unit", "organisational unit",
           "organizational unit", "your department", "which department are you in", "home department",
           "staff group", "directorate", "which staff group do you work in", "business function"),
          (("department",), ("dept",), ("function",), ("staff", "group"), ("directorate",)),
          ("manager", "cross", "same", "prefer", "avoid"),
          example="Finance"),
    Field("business_unit", "category", "Business unit or division (a level above department).",
          ("business unit", "bu", "division", "business area", "segment", "line of business"),
          (("business", "unit"), ("division",)), ("manager",)),
    Field("team", "category", "Team (a level below department).", ("team", "team name", "squad", "your team"),
          (("team",),), ("manager", "lead", "size", "same", "cross", "leader")),
    Field("site", "category", "Office or site.",
          ("site", "location", "office", "work location", "base", "office location", "primary office", "city",
           "work site", "campus", "where are you based", "base location"),
          (("office",), ("site",), ("location",), ("based",)), ("manager", "time", "zone", "prefer")),
    Field("region", "category", "Region or country.", ("region", "country", "geography", "geo", "market"),
          (("region",), ("country",)), ("manager",)),
    Field("timezone", "timezone", "IANA time zone (Europe/London) or a UTC offset (UTC+5:30).",
          ("timezone", "time zone", "tz", "your time zone", "local time zone", "time zone iana"),
          (("time", "zone"), ("timezone",)), ("manager", "differ", "overlap"), example="Europe/London"),
    Field("manager_id", "reference", "The person's line manager (id, email or name).",
          ("manager", "manager id", "manager email", "line manager", "reports to", "supervisor", "manager employee id",
           "line manager email", "direct manager", "manager name", "supervisor email", "reporting manager"),
          (("manager",), ("reports", "to"), ("supervisor",)), ("mentor", "skill", "level"), example="E0007"),
    Field("seniority", "level", "Seniority level: a number (1 = entry) or a title such as Manager or Director.",
          ("seniority", "level", "grade", "band", "job level", "career level", "seniority level", "job grade",
           "pay grade", "grade level", "management level", "job band", "level of seniority", "pay band",
           "corporate title", "your corporate title"),
          (("seniority",), ("level",), ("grade",), ("band",), ("corporate", "title")),
          ("language", "skill", "experience", "confidence", "satisf", "energy", "english", "comfort"),
          example="4"),
    Field("tenure_years", "number", "Years with the organisation.",
          ("tenure", "tenure years", "years of service", "years at company", "length of service", "service years",
           "years with the company", "years in organisation", "years in organization"),
          (("tenure",), ("years", "service"), ("years", "company"), ("length", "service")), (), example="3.5"),
    Field("skills_offered", "list", "Skills the person can share as a mentor.",
          ("skills offered", "skills i can offer", "skills to offer", "skills i can share", "expertise",
           "areas of expertise", "skills i can teach", "strengths", "what skills can you offer",
           "mentor skills", "skills offered as mentor", "can help with"),
          (("skill", "offer"), ("skill", "share"), ("skill", "teach"), ("expertise",), ("can", "help", "with"),
           ("skill", "mentor"), ("could", "help"), ("can", "help"), ("help", "colleague"), ("help", "other"),
           ("help", "someone"), ("could", "offer"), ("can", "offer"), ("could", "share"), ("can", "share"),
           ("could", "teach"), ("can", "teach"), ("good", "at")),
          ("sought", "develop", "learn", "improve", "want", "grow", "need", "build", "like", "language"),
          example="Python; Negotiation"),
    Field("skills_sought", "list", "Skills the person wants to develop.",
          ("skills sought", "skills to develop", "skills i want to develop", "skills wanted", "learning needs",
           "development areas", "skills i want to learn", "skills to learn", "skills to improve", "skill gaps",
           "mentee skills", "what skills would you like to develop", "areas for development", "want help with"),
          (("skill", "develop"), ("skill", "learn"), ("skill", "sought"), ("skill", "improve"), ("skill", "want"),
           ("skill", "gap"), ("skill", "grow"), ("skill", "build"), ("skill", "mentee"), ("development", "area"),
           ("want", "help"), ("like", "help"), ("need", "help"), ("help", "with"), ("learn",), ("want", "develop"),
           ("like", "develop"), ("want", "improve"), ("like", "improve"), ("get", "better")),
          ("offer", "share", "teach", "expertise", "could", "can", "colleague", "other", "someone", "language"),
          example="Stakeholder management"),
    Field("goals", "list", "Development goals or themes (career, leadership, networking, ...).",
          ("goals", "development goals", "mentoring goals", "goal", "objectives", "focus areas", "goal themes",
           "what do you hope to gain", "what do you hope to get out of mentoring", "aims", "development focus",
           "what would you like to focus on"),
          (("goal",), ("objective",), ("hope", "gain"), ("hope", "get"), ("focus",)), ("manager",),
          example="Career progression; Leadership"),
    Field("languages", "list", "Languages the person can mentor in.",
          ("languages", "language", "languages spoken", "spoken languages", "working languages",
           "which languages can you mentor in", "languages you speak", "preferred language"),
          (("language",),), (), example="English; Spanish"),
    Field("meeting_mode", "mode", "in_person, virtual, hybrid or no_preference.",
          ("meeting mode", "meeting preference", "meeting format", "preferred meeting mode", "meeting type",
           "how would you prefer to meet", "format", "preferred format", "mode", "how do you want to meet",
           "meeting style", "in person or virtual"),
          (("meet", "prefer"), ("meeting", "mode"), ("meeting", "format"), ("how", "meet"), ("in", "person")),
          ("frequency", "often", "time", "cadence", "avail"), example="virtual"),
    Field("capacity", "int", "How many mentees a mentor can take (a whole number, 1 or more).",
          ("capacity", "mentor capacity", "max mentees", "maximum mentees", "number of mentees", "mentee capacity",
           "how many mentees can you take", "how many mentees could you support", "how many mentees",
           "max number of mentees", "mentees", "slots"),
          (("capacity",), ("how", "many", "mentee"), ("max", "mentee"), ("number", "mentee"), ("maximum", "mentee")),
          (), example="2"),
    Field("availability", "availability", "Weekly windows in local time: 'Mon 09:00-11:00; Thu PM'.",
          ("availability", "available times", "when are you available", "available", "time slots", "free slots",
           "preferred times", "weekly availability", "availability local time"),
          (("avail",), ("time", "slot"), ("preferred", "time")), ("meet", "mode", "zone"),
          example="Mon 09:00-11:00; Wed PM"),
    Field("preferences", "references", "Ranked mentor preferences (ids, emails or names), first choice first.",
          ("preferences", "preferred mentors", "preferred mentor", "mentor preferences", "ranked preferences",
           "mentor choices", "choice of mentor", "preferred partners", "first choice", "second choice",
           "third choice", "mentor preference", "who would you like as a mentor"),
          (("prefer", "mentor"), ("prefer", "partner"), ("choice",), ("rank",), ("preference",)),
          ("avoid", "meet", "not", "format", "mode", "time", "language", "contact"), example="E0311; E0410"),
    Field("exclusions", "references", "People this person must not be matched with (ids, emails or names).",
          ("exclusions", "do not match with", "do not match", "conflicts", "conflict of interest", "people to avoid",
           "avoid", "exclude", "please do not pair me with", "not with", "excluded partners"),
          (("not", "match"), ("avoid",), ("exclu",), ("conflict",), ("not", "pair")), (), example="E0099"),
    Field("previous_partners", "references", "People already mentored with (excluded when re-matching).",
          ("previous partners", "previous mentor", "previous mentors", "previous mentees", "past partners",
           "past mentor", "prior mentor", "former mentor", "previous match"),
          (("previous",), ("past", "mentor"), ("prior",), ("former",)), ()),
    Field("cohort", "category", "Cohort, wave or intake name.", ("cohort", "wave", "intake", "cohort name", "group"),
          (("cohort",), ("wave",)), ("circle",)),
    Field("start_date", "date", "When the person starts in the programme (YYYY-MM-DD).",
          ("start date", "programme start", "program start", "cohort start", "start", "joining date",
           "programme start date", "program start date"),
          (("start", "date"), ("programme", "start"), ("program", "start")), ("time", "employment", "hire", "job")),
    Field("can_facilitate", "bool", "Willing to facilitate a mentoring circle (yes/no).",
          ("can facilitate", "facilitator", "willing to facilitate", "facilitate a circle", "circle facilitator",
           "would you facilitate a circle"),
          (("facilitat",),), ()),
    Field("consent", "bool", "Agreed that their answers may be used for matching (yes/no).",
          ("consent", "data consent", "i consent", "privacy consent", "gdpr consent", "agree to terms",
           "i agree"),
          (("consent",), ("agree",)), ()),
    Field("gender", "category", "Gender (optional; fairness audits only).", ("gender", "gender identity", "sex"),
          (("gender",),), (), sensitive=True),
    Field("age_band", "category", "Age band (optional; fairness audits only).",
          ("age band", "age group", "age range", "age", "generation"), (("age",),), ("page", "manage", "language", "agenda",
                                                                                      "percentage"),
          sensitive=True),
    Field("ethnicity", "category", "Ethnicity (optional; fairness audits only).",
          ("ethnicity", "ethnic group", "ethnic background", "race"), (("ethnic",),), (), sensitive=True),
    Field("notes", "text", "Anything else the person wrote.",
          ("notes", "comments", "anything else", "additional information", "anything else we should know",
           "other comments", "additional comments"),
          (("anything", "else"), ("comment",), ("note",)), ()),
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
_BY_NAME = {f.name: f for f in FIELDS}
LIST_FIELDS = frozenset(f.name for f in FIELDS if f.kind in ("list", "references", "availability"))
REFERENCE_FIELDS = frozenset(f.name for f in FIELDS if f.kind in ("reference", "references"))
SENSITIVE_FIELDS = frozenset(f.name for f in FIELDS if f.sensitive)

# Columns that form and survey tools add on their own; never participant data.
SYSTEM_COLUMNS = frozenset(
    {
        "timestamp", "start time", "completion time", "last modified time", "startdate", "enddate", "status",
        "ipaddress", "ip address", "progress", "duration in seconds", "duration", "finished", "recordeddate",
        "recorded date", "responseid", "response id", "recipientlastname", "recipientfirstname",
        "recipientemail", "recipient last name", "recipient first name", "recipient email", "externalreference",
        "external data reference", "locationlatitude", "locationlongitude", "location latitude",
        "location longitude", "distributionchannel", "distribution channel", "userlanguage", "user language",
        "score", "total score", "total points", "submitted at", "submission id", "response number",
    }
)

# The built-in seniority ladder: titles whose order does not depend on the sector (1 = entry level).
# Longer phrases are checked first so "senior manager" is not read as "manager". Titles that rank
# differently in banks, consulting, law, universities or the public sector (Vice President, Director,
# Associate, Analyst, Principal, Consultant, Partner, Officer, ...) are not here: the toolkit asks about
# them (see toolkit.intake.ladders.SECTOR_DEPENDENT), or reads them from the client's ladder or a preset.
SENIORITY_LADDER: dict[str, float] = {
    "intern": 1, "apprentice": 1, "graduate": 1, "trainee": 1, "junior": 1, "entry": 1, "entry level": 1,
    "coordinator": 2, "specialist": 2, "assistant": 2,
    "senior specialist": 3, "senior": 3, "lead": 3,
    "team lead": 4, "team leader": 4, "supervisor": 4, "manager": 4,
    # Assistant Manager is below Manager wherever it is used (half levels keep everyone else's numbers).
    "assistant manager": 3.5,
    "senior manager": 5, "head": 5, "head of": 5,
    "chief": 8, "c level": 8, "c suite": 8, "ceo": 8, "cfo": 8, "cto": 8, "coo": 8, "cio": 8, "chro": 8,
}


def field(name: str) -> Field:
    """The canonical field called ``name`` (KeyError if unknown)."""
    return _BY_NAME[name]


_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_header(header: object) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed.

    ``"  E-mail Address:* "`` -> ``"e mail address"``.
    """
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ")
    return _NON_WORD.sub(" ", text).strip()


def snake_case(header: object) -> str:
    """A header as a column name: ``"Meeting date (UTC)"`` -> ``"meeting_date_utc"`` (for logs and check-ins)."""
    return normalise_header(header).replace(" ", "_")


def header_tokens(header: object) -> tuple[str, ...]:
    return tuple(normalise_header(header).split())


def _has_stem(tokens: tuple[str, ...], stem: str) -> bool:
    return any(token.startswith(stem) for token in tokens)


def match_header(header: object) -> list[tuple[str, int]]:
    """Which fields a header could mean, best first, as ``(field name, strength)``.

    Strength 3: the header is a known wording of the field. Strength 2: the header
    holds all the words of one of the field's patterns and none of its excluded words.
    """
    text = normalise_header(header)
    if not text:
        return []
    # Qualtrics: "Skills - Selected Choice - offer" is the "Skills offer" question; its "- Other - Text"
    # column is what people typed beside "Other", not the answer itself, so it maps to nothing.
    if re.search(r"\bother (?:please specify )?text$", text) or re.fullmatch(r"q\d+(?: \d+)* text", text):
        return []
    text = re.sub(r"\s*\bselected choice\b\s*", " ", text).strip()
    tokens = tuple(text.split())
    # "Q3 - What skills..." (Qualtrics) and "3. What skills" (numbered forms): drop the question number.
    if tokens and re.fullmatch(r"q?\d+[a-z]?", tokens[0]) and len(tokens) > 1:
        tokens = tokens[1:]
        text = " ".join(tokens)
    found: list[tuple[str, int]] = []
    for candidate in FIELDS:
        if text in candidate.synonyms:
            found.append((candidate.name, 3))
            continue
        if any(_has_stem(tokens, stem) for stem in candidate.exclude):
            continue
        if any(all(_has_stem(tokens, stem) for stem in pattern) for pattern in candidate.patterns):
            found.append((candidate.name, 2))
    found.sort(key=lambda item: (-item[1], FIELD_NAMES.index(item[0])))
    return found
