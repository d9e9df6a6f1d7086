"""Fictional sample clients, generated deterministically.

Three invented organisations, each with the files a consultant really receives and the
records of a programme that has (mostly) run, so that intake, matching, measurement and
reporting can be demonstrated, taught and tested on realistic data:

``northwind``
    Northwind Traders: an enterprise running a formal one-to-one programme across four
    offices and time zones. HRIS extract (CSV with BOM), org chart, Qualtrics surveys.
``riverbank``
    Riverbank Building Society: a reverse-mentoring pilot (junior mentors, senior leaders
    as mentees). Microsoft Forms sign-ups and surveys (.xlsx), org chart.
``lumen``
    Lumen Labs: a remote-first start-up running peer mentoring circles with facilitators.
    Google Forms sign-ups and surveys (CSV); people are identified by email throughout.

Everything is invented: names are drawn from first- and last-name lists covering many
cultures, emails use the reserved ``.example`` domain, IP addresses come from the
documentation-only ranges. The same code always writes the same bytes: every random
choice comes from a ``numpy.random.default_rng`` seeded from the client and the purpose
of the draw, nothing reads the clock, and nothing iterates over a set or relies on hash
order. Excel files get fixed document properties and fixed zip timestamps.

The programme was matched with this toolkit: the generator writes what the client sent (sign-ups,
org chart, Northwind's ranked choices), matches it with :func:`toolkit.rounds.client_match` (the
match ``match`` and ``make demo`` adopt), and builds the history on that first round: meetings,
goal check-ins, leavers, re-matches, surveys and HR outcomes.

Run ``python sample_data/generate.py [--out sample_data]`` from the repository root, or call
:func:`generate_all`. This script lives beside the data it writes, outside the runtime package.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import sys
import unicodedata
import zipfile
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import yaml

# The programme in the sample world was matched with this toolkit (the repository beside this script).
_REPOSITORY = Path(__file__).resolve().parent.parent
if str(_REPOSITORY) not in sys.path:
    sys.path.insert(0, str(_REPOSITORY))
from toolkit.client import load_client  # noqa: E402
from toolkit.rounds import client_match  # noqa: E402

__all__ = ["CLIENTS", "TODAY", "EXTRACT_DATE", "THEMES", "generate", "generate_all", "load_instrument", "main"]

#: "Today" for the sample world; all programme records stop before it.
TODAY = dt.date(2026, 11, 22)
#: The HR, meeting-log and goal extracts were all taken on the Friday before today.
EXTRACT_DATE = dt.date(2026, 11, 20)
#: Development-goal themes: the words used in the goals column and the goal check-ins.
THEMES = (
    "Skill development", "Knowledge of the organisation", "Career progression", "Leadership",
    "Networking and visibility", "Confidence", "Work-life balance",
)
CLIENTS = ("northwind", "riverbank", "lumen")

INSTRUMENT_DIR = Path(__file__).resolve().parent.parent / "templates" / "surveys"  # the repository's templates/surveys
# Written into every Excel file so that regenerating gives the same workbook, byte for byte.
_FIXED_FILE_TIME = dt.datetime(2026, 11, 20, 9, 0, 0)


# ---------------------------------------------------------------------------------------------
# Deterministic randomness
# ---------------------------------------------------------------------------------------------


def _rng(slug: str, purpose: str) -> np.random.Generator:
    """A generator seeded from the client and the purpose of the draws.

    One stream per purpose means a change to (say) the survey simulation does not
    reshuffle the people or the pairs.
    """
    digest = hashlib.sha256(f"toolkit.sample/{slug}/{purpose}".encode("utf-8")).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _pick(rng: np.random.Generator, items: Sequence, weights: Sequence[float] | None = None):
    if weights is None:
        return items[int(rng.integers(len(items)))]
    probabilities = np.asarray(weights, dtype=float)
    return items[int(rng.choice(len(items), p=probabilities / probabilities.sum()))]


def _sample(rng: np.random.Generator, items: Sequence, count: int, weights: Sequence[float] | None = None) -> list:
    """``count`` distinct items in the order drawn."""
    count = min(count, len(items))
    if count <= 0:
        return []
    probabilities = None
    if weights is not None:
        probabilities = np.asarray(weights, dtype=float)
        probabilities = probabilities / probabilities.sum()
    indexes = rng.choice(len(items), size=count, replace=False, p=probabilities)
    return [items[int(index)] for index in indexes]


def _chance(rng: np.random.Generator, probability: float) -> bool:
    return bool(rng.random() < probability)


def _uniform_date(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def _workday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after when it falls at a weekend."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    days_in_month = [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, days_in_month))


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def _logit(probability: float) -> float:
    return math.log(probability / (1.0 - probability))


# ---------------------------------------------------------------------------------------------
# Writing files byte-for-byte reproducibly
# ---------------------------------------------------------------------------------------------


def _write_csv(path: Path, rows: Iterable[Sequence[object]], *, bom: bool = False) -> int:
    """Write rows as comma-separated UTF-8 (``\\n`` line ends); returns the number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = 0
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
        count += 1
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode("utf-8"))
    return count


def _write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]], *,
                sheet: str = "Sheet1", creator: str = "Microsoft Forms") -> None:
    """Write one worksheet the way Microsoft Forms exports it, reproducibly.

    openpyxl stamps the save time into the document properties and the zip entries;
    both are replaced by a fixed time so that regenerating gives identical bytes.
    """
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(header))
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append(["" if value is None else value for value in row])
    for column_cells in worksheet.iter_cols(min_row=2):
        for cell in column_cells:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "m/d/yy h:mm:ss"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "m/d/yyyy"
    workbook.properties.creator = creator
    workbook.properties.lastModifiedBy = creator
    workbook.properties.created = _FIXED_FILE_TIME
    workbook.properties.modified = _FIXED_FILE_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)

    fixed_stamp = _FIXED_FILE_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    output = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + fixed_stamp.encode() + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_FILE_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)
    path.write_bytes(output.getvalue())


# ---------------------------------------------------------------------------------------------
# Names: invented combinations from many cultures
# ---------------------------------------------------------------------------------------------

# culture -> (women's first names, men's first names, family names). Combinations are drawn at
# random, so a generated person is nobody in particular; _NOT_GENERATED blocks the few
# combinations that would read as a well-known public figure.
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "british": (
        ("Amelia", "Isla", "Freya", "Imogen", "Eleanor", "Poppy", "Harriet", "Niamh", "Siobhan", "Rosie",
         "Charlotte", "Megan", "Bethan", "Fiona", "Gemma", "Joanna", "Lucy", "Kirsty", "Hannah", "Alice"),
        ("Oliver", "Callum", "Rhys", "Finlay", "Owen", "Declan", "Hamish", "Tom", "Gareth", "Euan",
         "Rory", "Liam", "Ciaran", "Stuart", "Alastair", "Jack", "Dominic", "Will", "Neil", "Ewan"),
        ("Ashworth", "Brennan", "Caldwell", "Dawson", "Fletcher", "Gallagher", "Hargreaves", "Kershaw",
         "Lockwood", "McAllister", "Pritchard", "Quinlan", "Rowntree", "Sheridan", "Thornton", "Whitfield",
         "Ellison", "Marsh", "Holloway", "Penrose", "Haworth", "Blackwood", "Coulson", "Durrant", "Featherstone",
         "Greaves", "Ingham", "Lister", "Moorcroft", "Oakley", "Ramsbottom", "Sutcliffe", "Tennant", "Wardle"),
    ),
    "american": (
        ("Madison", "Brianna", "Kayla", "Jasmine", "Dana", "Shelby", "Courtney", "Alexis", "Tamara", "Brooke",
         "Whitney", "Kendra", "Lauren", "Erin", "Paige"),
        ("Tyler", "Marcus", "Trevor", "Caleb", "Derek", "Brandon", "Garrett", "Travis", "Jared", "Cody",
         "Darnell", "Wesley", "Austin", "Dustin", "Corey"),
        ("Whitaker", "Sullivan", "Brooks", "Monroe", "Harper", "Jennings", "Calloway", "Dunn", "Pruitt",
         "Holcomb", "Barrett", "Vance", "Merritt", "Kessler", "Lundgren", "McBride", "Osgood", "Rutledge",
         "Stratton", "Tillman", "Wheeler", "Yates"),
    ),
    "indian": (
        ("Priya", "Ananya", "Kavya", "Meera", "Divya", "Lakshmi", "Deepa", "Shreya", "Pooja", "Aishwarya",
         "Nandini", "Sneha", "Ritu", "Swati", "Anjali", "Harini", "Isha", "Madhuri", "Tanvi", "Vidya"),
        ("Arjun", "Rohan", "Vikram", "Aditya", "Karthik", "Sanjay", "Rahul", "Nikhil", "Varun", "Siddharth",
         "Pranav", "Manish", "Akash", "Gaurav", "Harish", "Naveen", "Rajesh", "Suresh", "Vivek", "Yash"),
        ("Nair", "Iyer", "Sharma", "Reddy", "Menon", "Patel", "Rao", "Krishnan", "Banerjee", "Kulkarni",
         "Desai", "Chatterjee", "Subramanian", "Joshi", "Bhat", "Venkatesh", "Gupta", "Mehta", "Hegde",
         "Shetty", "Naidu", "Saxena", "Trivedi", "Agarwal", "Bose", "Kamath", "Pai", "Srinivasan"),
    ),
    "tamil": (
        ("Kavitha", "Revathi", "Malathi", "Selvi", "Thenmozhi", "Vaishnavi", "Keerthana", "Sangeetha"),
        ("Senthil", "Murugan", "Arun", "Balaji", "Dinesh", "Karthikeyan", "Prabhu", "Saravanan"),
        ("Selvam", "Arumugam", "Rajendran", "Palaniappan", "Ramasamy", "Sundaram", "Velusamy", "Natarajan"),
    ),
    "chinese": (
        ("Mei Ling", "Xiu Ying", "Li Na", "Jia Hui", "Hui Min", "Shu Fen", "Wen Qi", "Yi Ting", "Xin Yi", "Pei Shan"),
        ("Wei Jie", "Jun Hao", "Zhi Hao", "Kai Wen", "Jian Ming", "Yong Sheng", "Boon Keat", "Hong Wei",
         "Chee Meng", "Guo Liang"),
        ("Tan", "Lim", "Ng", "Wong", "Chen", "Goh", "Teo", "Ong", "Chua", "Lau", "Zhang", "Liu", "Huang",
         "Koh", "Yeo", "Seah", "Quek", "Toh"),
    ),
    "malay": (
        ("Nur Aisyah", "Siti Aminah", "Farah", "Nurul Huda", "Aina", "Syafiqah", "Zarina", "Hidayah"),
        ("Ahmad Faiz", "Hafiz", "Irfan", "Amir", "Hakim", "Rizal", "Azlan", "Firdaus"),
        ("Rahman", "Ismail", "Hassan", "Yusof", "Ibrahim", "Abdullah", "Osman", "Jamaludin", "Salleh", "Zainal"),
    ),
    "hispanic": (
        ("Sofia", "Valentina", "Camila", "Lucia", "Gabriela", "Mariana", "Daniela", "Paola", "Ximena", "Rocio"),
        ("Mateo", "Diego", "Javier", "Andres", "Carlos", "Joaquin", "Emilio", "Rafael", "Tomas", "Esteban"),
        ("Delgado", "Ramirez", "Castillo", "Morales", "Herrera", "Vargas", "Mendoza", "Ortega", "Navarro",
         "Rojas", "Fuentes", "Guerrero", "Salazar", "Cordero", "Ibarra", "Villanueva"),
    ),
    "west_african": (
        ("Adaeze", "Ama", "Folake", "Efua", "Ngozi", "Chiamaka", "Abena", "Yetunde", "Akosua", "Funmi"),
        ("Chinedu", "Kwame", "Tunde", "Kofi", "Emeka", "Kwabena", "Segun", "Yaw", "Obinna", "Femi"),
        ("Okafor", "Adeyemi", "Mensah", "Boateng", "Okonkwo", "Asante", "Eze", "Owusu", "Balogun", "Nwosu",
         "Adebayo", "Oduya", "Appiah", "Olawale"),
    ),
    "arabic": (
        ("Layla", "Amira", "Nadia", "Rania", "Yasmin", "Salma", "Huda", "Dina"),
        ("Omar", "Yusuf", "Karim", "Tariq", "Sami", "Khalid", "Hamza", "Nabil"),
        ("Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Farouk", "Aziz", "Qureshi", "Darwish", "Hamdan"),
    ),
    "south_asian_uk": (
        ("Aisha", "Zara", "Sana", "Amina", "Hira", "Nadia", "Saima", "Rukhsana"),
        ("Imran", "Bilal", "Usman", "Adil", "Zain", "Faisal", "Asif", "Kamran"),
        ("Hussain", "Akhtar", "Mahmood", "Iqbal", "Rashid", "Bashir", "Siddiqui", "Chaudhry", "Malik"),
    ),
    "polish": (
        ("Kasia", "Magda", "Agnieszka", "Zofia", "Marta", "Ewa", "Joanna", "Łucja"),
        ("Tomasz", "Piotr", "Marek", "Łukasz", "Paweł", "Krzysztof", "Michał", "Jakub"),
        ("Nowak", "Kowalczyk", "Wiśniewska", "Zielinski", "Mazur", "Krawczyk", "Dąbrowski", "Pawlak", "Sikora"),
    ),
    "german": (
        ("Hannah", "Lena", "Marie", "Anja", "Katrin", "Jana", "Sabine", "Friederike"),
        ("Lukas", "Felix", "Jonas", "Tobias", "Matthias", "Florian", "Jan", "Moritz"),
        ("Becker", "Hoffmann", "Schäfer", "Vogel", "Krüger", "Lehmann", "Brandt", "Hartmann", "Neumann", "Wolff"),
    ),
    "nordic": (
        ("Ingrid", "Astrid", "Sigrid", "Liv", "Maja"),
        ("Søren", "Anders", "Henrik", "Mikkel", "Erik"),
        ("Lindqvist", "Andersen", "Bergström", "Halvorsen", "Nyström", "Dahl"),
    ),
    "portuguese": (
        ("Inês", "Beatriz", "Mariana", "Joana", "Catarina", "Leonor", "Rita", "Sara"),
        ("João", "Tiago", "Rui", "Duarte", "Miguel", "Nuno", "Gonçalo", "Pedro"),
        ("Costa", "Ferreira", "Almeida", "Carvalho", "Sousa", "Pereira", "Gonçalves", "Marques", "Lopes",
         "Teixeira", "Ribeiro", "Pinto"),
    ),
    "brazilian": (
        ("Larissa", "Fernanda", "Juliana", "Camila", "Bruna", "Thais"),
        ("Rafael", "Thiago", "Gustavo", "Leandro", "Vinicius", "Caio"),
        ("Oliveira", "Santos", "Barbosa", "Cardoso", "Rocha", "Moreira", "Nascimento", "Araujo"),
    ),
    "french": (
        ("Camille", "Léa", "Chloé", "Manon", "Élodie", "Margaux", "Inès", "Clémence"),
        ("Théo", "Hugo", "Antoine", "Mathieu", "Julien", "Bastien", "Romain", "Étienne"),
        ("Dubois", "Lefèvre", "Moreau", "Girard", "Fontaine", "Marchand", "Garnier", "Chevalier", "Lemoine"),
    ),
    "japanese": (
        ("Yuki", "Aiko", "Haruka", "Sakura", "Emi", "Naomi"),
        ("Haruto", "Ren", "Kenji", "Takumi", "Daisuke", "Hiroshi"),
        ("Tanaka", "Sato", "Nakamura", "Yamamoto", "Kobayashi", "Watanabe", "Ishikawa"),
    ),
    "korean": (
        ("Ji-woo", "Seo-yeon", "Min-ji", "Hye-jin", "Soo-ah"),
        ("Min-jun", "Seung-ho", "Ji-hoon", "Dong-hyun", "Jae-won"),
        ("Kim", "Park", "Choi", "Jung", "Kang", "Yoon", "Han"),
    ),
    "filipino": (
        ("Maricel", "Kristine", "Jovelyn", "Angelica", "Rowena", "Liezl"),
        ("Jomar", "Paolo", "Rommel", "Arnel", "Jerome", "Marvin"),
        ("Santos", "Reyes", "Dela Cruz", "Bautista", "Mendoza", "Villareal", "Manalo", "Pascual"),
    ),
    "vietnamese": (
        ("Linh", "Thao", "Trang", "Huong", "Ngoc"),
        ("Minh", "Quang", "Tuan", "Duc", "Khoa"),
        ("Nguyen", "Tran", "Pham", "Le", "Vu", "Dang", "Bui"),
    ),
    "turkish": (
        ("Elif", "Zeynep", "Ayşe", "Derya", "Selin"),
        ("Emre", "Can", "Burak", "Mert", "Kerem"),
        ("Yilmaz", "Demir", "Kaya", "Aydin", "Şahin", "Öztürk", "Arslan"),
    ),
}
# First names people of any gender use; non-binary people draw from these.
_NEUTRAL_FIRST = ("Alex", "Sam", "Robin", "Jamie", "Charlie", "Rowan", "Kit", "Ari", "Sasha", "Morgan",
                  "Noor", "Eden", "Quinn", "Remy", "Sky")
# Combinations never generated, so no sample person reads as a well-known public figure.
_NOT_GENERATED = frozenset({
    "Liam Gallagher", "Sanjay Gupta", "Anjali Menon", "Rohan Joshi", "Naomi Watanabe", "Ji-hoon Jung",
    "Ji-woo Choi", "Min-ji Kim", "Femi Adebayo", "Rui Costa", "Burak Yilmaz",
})
# Languages people of a culture may also mentor in (besides English), with how often.
_CULTURE_LANGUAGES: dict[str, tuple[tuple[str, float], ...]] = {
    "indian": (("Hindi", 0.55),), "tamil": (("Tamil", 0.85), ("Hindi", 0.15)),
    "chinese": (("Mandarin", 0.7),), "malay": (("Malay", 0.9),), "hispanic": (("Spanish", 0.8),),
    "french": (("French", 0.9),), "polish": (("Polish", 0.85),), "german": (("German", 0.95),),
    "portuguese": (("Portuguese", 0.95),), "brazilian": (("Portuguese", 0.95),), "south_asian_uk": (("Urdu", 0.5),),
    "arabic": (("Arabic", 0.7),), "turkish": (("Turkish", 0.85),), "japanese": (("Japanese", 0.9),),
    "korean": (("Korean", 0.9),), "vietnamese": (("Vietnamese", 0.85),), "filipino": (("Tagalog", 0.6),),
    "nordic": (("Danish", 0.5),),
}
_ASCII_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "ß": "ss", "đ": "d", "ı": "i"})


def _email_part(text: str) -> str:
    """Lowercase ASCII letters only: "Łucja" -> "lucja", "Dela Cruz" -> "delacruz"."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z]", "", folded.lower())


class _NameBook:
    """Hands out unique invented names and email addresses for one client."""

    def __init__(self, domain: str, *, first_name_emails: bool = False) -> None:
        self.domain = domain
        self.first_name_emails = first_name_emails
        self.names: set[str] = set()
        self.emails: set[str] = set()

    def new(self, rng: np.random.Generator, culture: str, gender: str) -> tuple[str, str, str]:
        women, men, family = _NAMES[culture]
        for _ in range(200):
            if gender == "Non-binary":
                first = _pick(rng, _NEUTRAL_FIRST)
            else:
                first = _pick(rng, women if gender == "Female" else men)
            last = _pick(rng, family)
            full = f"{first} {last}"
            if full not in self.names and full not in _NOT_GENERATED:
                break
        self.names.add(full)
        return first, last, self._email(first, last)

    def _email(self, first: str, last: str) -> str:
        first_part, last_part = _email_part(first), _email_part(last)
        if self.first_name_emails:
            # A start-up's addresses: first name, then first name and initial, then the full name.
            candidates = [first_part, f"{first_part}.{last_part[:1]}", f"{first_part}.{last_part}"]
        else:
            candidates = [f"{first_part}.{last_part}"]
        candidates += [f"{first_part}.{last_part}{number}" for number in range(2, 50)]
        for local in candidates:
            email = f"{local}@{self.domain}"
            if email not in self.emails:
                self.emails.add(email)
                return email
        raise AssertionError("ran out of email addresses")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# People and organisations
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Site:
    """An office (or, at the start-up, the city a remote worker lives in)."""

    name: str
    timezone: str
    region: str
    latitude: float
    longitude: float
    cultures: tuple[tuple[str, float], ...]


@dataclass
class Person:
    """One employee of a sample client; participants also carry their sign-up answers."""

    person_id: str
    first: str
    last: str
    email: str
    gender: str
    culture: str
    department: str
    team: str
    site: _Site
    level: int
    title: str
    manager_id: str | None
    tenure_years: float
    age: int
    languages: list[str]
    engagement: float
    # Sign-up answers (participants only).
    role: str | None = None                      # mentor | mentee | both
    skills_offered: list[str] = field(default_factory=list)
    skills_sought: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    meeting_mode: str = ""
    capacity: int | None = None
    availability: list[str] = field(default_factory=list)
    preferences: list[str] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    start_date: dt.date | None = None
    cohort: str = ""
    can_facilitate: bool = False
    disclosed_gender: str = ""                   # what the person chose to report ("" = not said)
    age_band: str = ""
    notes: str = ""
    signed_up: dt.datetime | None = None
    # What happened later (HR records).
    left_date: dt.date | None = None
    promotion_date: dt.date | None = None

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def timezone(self) -> str:
        return self.site.timezone

    def employed_on(self, day: dt.date) -> bool:
        return self.left_date is None or self.left_date > day


_TENURE_MEAN_BY_LEVEL = {1: 1.3, 2: 3.2, 3: 5.0, 4: 6.5, 5: 8.0, 6: 10.0, 7: 11.5, 8: 13.0}
_AGE_BANDS = ((25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (200, "55+"))


def _age_band(age: int) -> str:
    return next(label for limit, label in _AGE_BANDS if age < limit)


class _Org:
    """The employees of one client, in creation order, with their reporting lines."""

    def __init__(self, slug: str, names: _NameBook, id_maker: Callable[[], str] | None) -> None:
        self.slug = slug
        self.names = names
        self.new_id = id_maker  # None: people are known by their email address (no employee numbers)
        self.people: dict[str, Person] = {}
        self.rng = _rng(slug, "people")
        self._chains: dict[str, tuple[str, ...]] = {}

    def add(self, *, department: str, team: str, site: _Site, level: int, title: str,
            manager_id: str | None, person_id: str | None = None,
            gender_shares: tuple[float, float, float] = (0.49, 0.49, 0.02)) -> Person:
        rng = self.rng
        gender = _pick(rng, ("Female", "Male", "Non-binary"), gender_shares)
        culture = _pick(rng, [name for name, _ in site.cultures], [weight for _, weight in site.cultures])
        first, last, email = self.names.new(rng, culture, gender)
        mean_tenure = _TENURE_MEAN_BY_LEVEL[level]
        tenure = max(0.2, round(float(rng.gamma(2.2, mean_tenure / 2.2)), 1))
        age = int(round(21 + 2.6 * (level - 1) + 0.55 * tenure + rng.normal(0, 4.5)))
        age = min(64, max(19 if level <= 2 else 23, age))
        languages = ["English"]
        for language, share in _CULTURE_LANGUAGES.get(culture, ()):
            if _chance(rng, share) and language not in languages:
                languages.append(language)
        if person_id is None:
            person_id = email if self.new_id is None else self.new_id()
        person = Person(
            person_id=person_id, first=first, last=last, email=email, gender=gender,
            culture=culture, department=department, team=team, site=site, level=level, title=title,
            manager_id=manager_id, tenure_years=tenure, age=age, languages=languages,
            engagement=float(rng.normal(0, 1)),
        )
        self.people[person.person_id] = person
        return person

    def chain(self, person_id: str) -> tuple[str, ...]:
        """Everyone above the person, nearest first."""
        if person_id not in self._chains:
            above: list[str] = []
            current = self.people[person_id].manager_id
            while current is not None:
                above.append(current)
                current = self.people[current].manager_id
            self._chains[person_id] = tuple(above)
        return self._chains[person_id]

    def in_reporting_line(self, first: str, second: str) -> bool:
        return first in self.chain(second) or second in self.chain(first)

    def reports(self, manager_id: str) -> list[Person]:
        return [person for person in self.people.values() if person.manager_id == manager_id]


def _id_maker(rng: np.random.Generator, prefix: str, low: int, high: int, count: int) -> Callable[[], str]:
    """Unique random employee numbers (HR systems rarely number people in org-chart order)."""
    numbers = [int(number) for number in rng.choice(np.arange(low, high), size=count, replace=False)]
    iterator = iter(numbers)
    width = len(str(high - 1))
    return lambda: f"{prefix}{next(iterator):0{width}d}"


def _staff_level(rng: np.random.Generator, shares: tuple[float, float, float]) -> int:
    return int(_pick(rng, (1, 2, 3), shares))


def _staff_title(rng: np.random.Generator, noun: str, level: int, *, apprentices: bool = False) -> str:
    if level == 1:
        if apprentices and _chance(rng, 0.35):
            return f"Apprentice {noun}"
        return f"Junior {noun}"
    return noun if level == 2 else f"Senior {noun}"


# ---------------------------------------------------------------------------------------------
# Vocabularies: skills, goals, check-in notes, comments
# ---------------------------------------------------------------------------------------------

# Northwind's shared skills vocabulary (the sign-up form offered these as choices).
_NW_SKILLS: dict[str, tuple[str, ...]] = {
    "Finance": ("FP&A", "Financial modelling", "Budgeting", "Accounting standards", "Treasury management",
                "Tax compliance"),
    "Operations": ("Supply chain planning", "Procurement", "Lean and continuous improvement", "Logistics",
                   "Vendor management", "Project management"),
    "Sales": ("Negotiation", "Account management", "Sales forecasting", "Pitching", "Commercial awareness"),
    "Technology": ("Python", "SQL", "Data visualisation", "Cloud architecture", "Cybersecurity", "Agile delivery",
                   "Machine learning"),
    "People": ("Coaching", "Change management", "Employee relations", "Talent management", "Facilitation"),
    "Marketing": ("Brand strategy", "Digital marketing", "Content writing", "Market research",
                  "Product marketing"),
}
_GENERAL_SKILLS = ("Stakeholder management", "Public speaking", "Leadership", "Influencing", "Strategic thinking",
                   "Managing a team", "Giving feedback", "Time management", "Networking", "Excel")

# Riverbank's reverse-mentoring topics: what junior colleagues can teach senior leaders.
_RB_SKILLS = ("Social media", "Generative AI tools", "Data literacy", "Collaboration tools", "Mobile banking apps",
              "Cybersecurity hygiene", "Digital accessibility", "Online communities", "Video content",
              "New generations' perspectives")

# Lumen's skills (a start-up's mix of craft and growing-up-as-a-company skills).
_LUMEN_SKILLS = ("Python", "System design", "Kubernetes", "Machine learning", "Product discovery", "User research",
                 "Prototyping", "Sales discovery", "Pricing", "Content marketing", "Hiring", "Giving feedback",
                 "Managing a team", "Public speaking", "Stakeholder management", "Remote collaboration",
                 "Writing", "Prioritisation")

# Goal texts per theme: SMART-ish ones with a measure and a date, and a few vague ones (which the
# goals module's SMART check should flag). {skill} is a skill the mentee asked for, {month} a month
# before the programme ends, {department} their department.
_GOAL_TEMPLATES: dict[str, tuple[str, ...]] = {
    "Skill development": (
        "Apply {skill} on a live piece of work and get feedback on it from my manager by {month}",
        "Complete a short course in {skill} and share three takeaways with my team by {month}",
        "Shadow an expert in {skill} twice, then lead the next piece of that work myself by {month}",
        "Get better at {skill_lower}",
    ),
    "Knowledge of the organisation": (
        "Meet a leader from each of three other departments and write up how their work links to mine by {month}",
        "Map how a decision in {department} gets approved and present it at a team meeting by {month}",
        "Learn more about other teams",
        "Spend a day with another site's team and bring back two ideas we can use by {month}",
    ),
    "Career progression": (
        "Agree a two-year career plan with my manager and name the next role I am aiming for by {month}",
        "Apply for at least one stretch role or secondment by {month}",
        "Be ready for promotion",
        "Update my CV and development plan and review both with my mentor by {month}",
    ),
    "Leadership": (
        "Lead a cross-team project from kick-off to delivery by {month}",
        "Chair my team's weekly meeting for a month and ask three people for feedback on it",
        "Become a better leader",
        "Delegate two recurring tasks and coach the people who take them on by {month}",
    ),
    "Networking and visibility": (
        "Present my team's work at a department town hall by {month}",
        "Have a coffee conversation with six people outside my team by {month}",
        "Raise my profile",
        "Join a cross-site working group and contribute to every meeting until {month}",
    ),
    "Confidence": (
        "Put forward at least one idea in every team planning meeting until {month}",
        "Feel more confident in meetings",
        "Lead a client or stakeholder call on my own by {month}",
        "Give a ten-minute talk to my department by {month}",
    ),
    "Work-life balance": (
        "Block two focus mornings a week and keep to them for three months",
        "Stop checking email after 7pm on weekdays from {month}",
        "Have a better work-life balance",
        "Agree handover cover so I can take a full week off without interruptions by {month}",
    ),
}
# Riverbank's senior leaders learning from junior colleagues.
_RB_GOAL_TEMPLATES: dict[str, tuple[str, ...]] = {
    "Skill development": (
        "Use a generative AI tool to draft the first version of my monthly board update by {month}",
        "Post about the Society's work on LinkedIn at least twice a month until {month}",
        "Move my leadership team's updates from email to a Teams channel by {month}",
        "Open a savings account in our app myself and list three improvements for the digital team by {month}",
        "Understand social media",
        "Get comfortable with {skill_lower}",
    ),
    "Knowledge of the organisation": (
        "Spend a morning in the Leeds contact centre and bring back three member pain points by {month}",
        "Understand how colleagues under 30 experience working here",
        "Sit in on two apprentice induction sessions and share what I learn with the executive team by {month}",
    ),
    "Leadership": (
        "Change one team routine based on what I learn about how younger colleagues like to work by {month}",
        "Sponsor one idea from a junior colleague through to a decision by {month}",
        "Be a more approachable leader",
    ),
    "Networking and visibility": (
        "Hold an open question-and-answer session with apprentices and graduates by {month}",
        "Be more visible to front-line colleagues",
    ),
}
_CHECKIN_NOTES: dict[str, tuple[str, ...]] = {
    "not_started": ("Not started yet; agreed to pick this up after our next meeting.",
                    "Waiting for the right project to come along.", "Will start once year-end is done."),
    "on_track": ("Good progress; next step agreed at our last meeting.", "First milestone done.",
                 "Shared a draft and had useful feedback.", "On plan.", "Booked the sessions I need."),
    "at_risk": ("Workload has squeezed this; need to re-plan.", "Behind where I hoped; the date may move.",
                "The project this depended on was delayed.", "Struggling to find the time."),
    "stalled": ("No progress since the last check-in.", "We have not managed to meet, so this has stalled.",
                "Parked for now.", "Not sure this goal is still the right one."),
    "achieved": ("Done! Presented it last week.", "Achieved ahead of schedule.",
                 "Completed and signed off by my manager.", "Achieved - on to the next one."),
}

# Open comments per client. Each entry is (who may write it, text): "mentee", "mentor" or "any".
# {partner} becomes the first name of the person's mentoring partner (or facilitator) and
# {coordinator} the programme coordinator's first name, so that name scrubbing has work to do.
_Comment = tuple[str, str]
_COMMENTS: dict[str, dict[str, tuple[_Comment, ...]]] = {
    "northwind": {
        "hopes": (
            ("mentee", "A clearer idea of what my next role could be and what I need to get there."),
            ("mentee", "Someone outside my team to test ideas with."),
            ("mentee", "To understand how the other regions work, especially Singapore and New York."),
            ("mentee", "Confidence presenting to senior stakeholders."),
            ("mentee", "Practical help with moving from accounting work into FP&A."),
            ("mentee", "Honestly not sure yet - my manager suggested I sign up."),
            ("mentee", "A sounding board while I take on my first management role."),
            ("mentee", "To build a network beyond London."),
            ("mentor", "To give something back and hear how newer colleagues see the business."),
            ("mentor", "To get better at coaching rather than telling, which I need with my own team."),
            ("mentor", "Fresh perspectives from people in other departments."),
        ),
        "praise": (
            ("any", "Having a fixed monthly slot in the diary made all the difference."),
            ("mentee", "My mentor is from a completely different department, which opened my eyes to how decisions get made here."),
            ("mentee", "{partner} has been generous with their time and honest with me."),
            ("any", "The goal sheet kept our conversations focused."),
            ("mentee", "Being able to talk about career moves without my manager in the room."),
            ("mentee", "I was introduced to three people in New York I would never have met otherwise."),
            ("mentee", "Seeing how a director prepares for a difficult meeting was worth the whole programme."),
            ("any", "The kick-off session and the mentoring agreement template."),
            ("mentor", "I have learned as much as my mentee - it has changed how I run my own team."),
            ("any", "Meeting in person once a quarter on top of our video calls."),
            ("mentee", "{partner} helped me prepare for my promotion interview, and I got the role."),
            ("any", "Short, regular check-ins worked better for us than long meetings."),
            ("mentee", "Practical advice on stakeholder management that I used the very next week."),
            ("any", "The match really worked - we had a lot in common from the first conversation."),
            ("mentor", "Watching {partner} grow in confidence over the months."),
        ),
        "improve": (
            ("any", "More help with finding time across time zones; Singapore to New York is very hard."),
            ("any", "A midpoint check-in with the programme team for every pair, not just the ones that ask."),
            ("mentee", "Let mentees see mentor profiles before matching."),
            ("any", "Shorter surveys, please."),
            ("mentee", "More FP&A mentors - several of us in Finance wanted the same two people."),
            ("mentor", "Training for mentors on coaching rather than telling."),
            ("any", "A clearer way to end a match that is not working without it feeling awkward."),
            ("any", "Calendar invitations set up by the programme team at the start would have helped."),
            ("mentee", "Group sessions where mentees can share what they are learning."),
            ("mentor", "Recognise mentoring in objectives - it is hard to protect the time otherwise."),
            ("any", "Thanks to {coordinator} for sorting our rematch so quickly, but it should not have taken two months to raise."),
        ),
        "scheduling": (
            ("any", "We have had to reschedule twice because of month-end close."),
            ("mentee", "Hard to find a slot - my mentor is in Singapore and I am in London."),
            ("any", "Travel has got in the way this month; we have a call booked for next week."),
            ("any", "Our last meeting was cancelled at short notice and we have not rebooked yet."),
            ("any", "Quarter-end is always busy for us, so we agreed to skip this month."),
        ),
        "negative": (
            ("mentee", "We have only met once and my mentor has not replied to my last two messages."),
            ("mentee", "My mentor does not really know my area, so the advice has been quite general."),
            ("mentee", "It feels like a box-ticking exercise for my mentor."),
            ("any", "The match did not work for us and it took too long to get a new one."),
            ("mentee", "I did not feel comfortable raising what I actually wanted to talk about."),
            ("mentor", "My mentee has not come back to me since our second meeting."),
            ("any", "Honestly, not much - we never got into a rhythm."),
        ),
        "session": (
            ("any", "Good session - we worked through my development plan line by line."),
            ("any", "Useful conversation about handling a difficult stakeholder."),
            ("mentee", "We role-played my upcoming presentation, which helped a lot."),
            ("any", "Ran out of time; we will pick up the budgeting question next time."),
            ("any", "Great to finally meet in person."),
            ("mentee", "Thanks to {partner} for the introductions last month."),
            ("any", "We reviewed the goals and agreed one is no longer relevant."),
            ("mentee", "Spent most of the time on my career options - very helpful."),
            ("mentor", "My mentee came well prepared with questions."),
        ),
    },
    "riverbank": {
        "hopes": (
            ("mentee", "To stop feeling lost every time someone mentions generative AI."),
            ("mentee", "A frank view of how our younger members see us."),
            ("mentee", "To understand how our apprentices use social media and what puts them off us."),
            ("mentee", "Confidence using Teams properly rather than relying on email."),
            ("mentor", "To get to know the leadership team and how decisions are made."),
            ("mentor", "To build my confidence talking to senior people."),
            ("mentor", "To show what our generation can bring to the Society."),
            ("any", "Not sure what to expect, but I am curious."),
        ),
        "praise": (
            ("mentee", "{partner} showed me how to set up prompts for drafting board papers - it saves me hours."),
            ("mentee", "My mentor was patient and never made me feel foolish for asking basic questions."),
            ("mentee", "Seeing the app through the eyes of a 22-year-old member was sobering."),
            ("mentee", "I now post on LinkedIn regularly, and our member posts get far more views."),
            ("mentor", "I have learned how the Society's strategy is set, which I never saw before."),
            ("mentor", "The leadership team took my ideas seriously, which I did not expect."),
            ("any", "Meeting in the York office canteen rather than a boardroom kept it relaxed."),
            ("mentee", "It has changed how I think about what flexible working means for younger colleagues."),
            ("mentor", "My mentee started using the collaboration tools with their own team after our third session."),
            ("any", "Honest, two-way conversations - the seniority gap disappeared after the first meeting."),
            ("mentor", "{partner} asked about my career too, which I really appreciated."),
            ("any", "The short briefing pack on reverse mentoring set the tone well."),
        ),
        "improve": (
            ("mentor", "More guidance for junior mentors on what to do when a senior leader gets defensive."),
            ("mentor", "Protected time for mentors; I had to make up the hours on the contact centre rota."),
            ("any", "A shared list of digital topics so pairs do not start from scratch."),
            ("any", "Run it for longer - six months is only just enough."),
            ("any", "Involve more of the branch network, not only head office."),
            ("mentor", "Executive assistants should book the sessions; some diaries were impossible."),
            ("any", "A final showcase where mentors present what changed."),
            ("any", "{coordinator} was great at chasing, but a mid-point get-together for all pairs would help."),
        ),
        "scheduling": (
            ("mentor", "Our session was moved three times because of board meetings."),
            ("mentor", "Rota changes in the contact centre make it hard to commit to a fixed time."),
            ("any", "Board pack week wiped out our slot this month."),
            ("any", "We have swapped to shorter fortnightly calls, which suit us both better."),
        ),
        "negative": (
            ("mentor", "My mentee cancelled most of our sessions; I am not sure they were committed."),
            ("mentor", "It sometimes felt like my mentee wanted an IT helpdesk rather than a conversation."),
            ("mentor", "I felt out of my depth when the conversation turned to strategy."),
            ("any", "We did not have much in common and the sessions dried up."),
            ("mentor", "The power gap made it hard to be honest about what is not working."),
            ("mentee", "Two sessions in, we ran out of things to talk about."),
        ),
        "session": (
            ("any", "Walked through the savings app together and noted five pain points."),
            ("mentee", "Practised writing prompts for summarising policy documents."),
            ("any", "Talked about how my generation thinks about saving for a first home."),
            ("any", "Good discussion on cybersecurity habits - password manager now set up."),
            ("mentee", "{partner} brought examples of competitors' short videos, very eye-opening."),
            ("any", "Short session, but we agreed an action for next time."),
            ("mentee", "Reviewed my first LinkedIn post before publishing."),
            ("mentor", "My mentee tried the accessibility checker on their own slides - a real win."),
        ),
    },
    "lumen": {
        "hopes": (
            ("mentee", "Meet people outside engineering - I only know my own squad."),
            ("mentee", "Learn how other people handled growing from individual contributor to lead."),
            ("mentee", "A space to talk about career growth in a flat start-up where titles mean little."),
            ("mentor", "Practise facilitation and give something back."),
            ("mentee", "To feel less isolated working remotely."),
            ("mentee", "Get better at giving feedback to peers."),
            ("any", "Honestly, to see if circles work better than the 1:1 pilot last year."),
        ),
        "praise": (
            ("mentee", "Hearing five different takes on the same problem."),
            ("mentee", "Our facilitator {partner} kept the circle on track without dominating."),
            ("any", "The round at the start of each session, so everyone speaks."),
            ("mentee", "Circle members from sales and engineering - I finally understand each other's roadmaps."),
            ("any", "Async check-ins in Slack between sessions kept the momentum going."),
            ("any", "The shared notes doc with actions."),
            ("mentee", "It helped me prepare for my first performance review as a lead."),
            ("mentor", "As a facilitator, I got better at holding silence and asking questions."),
            ("any", "Having a mix of time zones taught me how the Lisbon team works."),
            ("any", "People were honest about their struggles - it felt safe."),
            ("mentor", "Seeing {partner} take over facilitation of one session was a highlight."),
        ),
        "improve": (
            ("any", "Circles spanning New York and Lisbon had a tiny overlap window; group by time zone."),
            ("mentor", "Facilitator training before the first session, not after."),
            ("any", "Shorter sessions - 90 minutes on video is long."),
            ("any", "A few prompts or topics per month would help quieter circles."),
            ("mentee", "Let people swap circles after the first month if it is not working."),
            ("any", "Record the kick-off so new joiners can watch it."),
            ("any", "More facilitators so circles can be smaller."),
            ("any", "{coordinator} did a great job, but reminders went to the wrong calendar for some of us."),
        ),
        "scheduling": (
            ("any", "Two members missed the session because of a release."),
            ("any", "The only slot that works is 5pm Lisbon / 9am LA, which is rough for some."),
            ("any", "Public holidays in India and Germany fell on our slot this month."),
            ("any", "We rescheduled around the offsite."),
        ),
        "negative": (
            ("any", "Our circle fizzled out after the second meeting."),
            ("mentee", "One person dominated most sessions."),
            ("mentee", "I did not feel the group was a safe place to talk about my manager."),
            ("any", "It felt like another meeting in an already packed calendar."),
            ("mentee", "Not enough overlap in what we wanted to discuss."),
            ("mentor", "Attendance dropped off and I was not sure how to win people back."),
        ),
        "session": (
            ("any", "Great session on giving feedback to peers."),
            ("mentee", "We ran a case clinic on {partner}'s hiring challenge."),
            ("any", "Half the circle was missing, so we kept it short."),
            ("any", "Shared resources on moving from individual contributor to manager."),
            ("any", "Lively debate on remote work rituals."),
            ("any", "Good energy today."),
            ("any", "Worked through everyone's goals for the next month."),
        ),
    },
}
_COORDINATORS = {"northwind": "Harriet", "riverbank": "Gwen", "lumen": "Tomás"}


# ---------------------------------------------------------------------------------------------
# Client specifications
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Wave:
    """One survey wave: which instrument, which file, when it was open, the target response rate."""

    key: str               # baseline | pulse | midpoint | end | session_feedback
    instrument: str
    stem: str              # file name without extension
    opens: dt.date
    closes: dt.date
    response_rate: float   # the share of invited people expected to answer (before engagement effects)


@dataclass(frozen=True)
class _Spec:
    slug: str
    client: str
    sector: str
    domain: str
    programme_name: str
    template: str
    start: dt.date
    end: dt.date
    matching_day: dt.date
    survey_tool: str       # qualtrics | microsoft_forms | google_forms
    tool_timezone: str     # the time zone the survey tool's account stamps times in
    review_months: tuple[int, ...]
    waves: tuple[_Wave, ...]
    consultant: str
    sponsor: str
    currency: str
    roi: tuple[tuple[str, float], ...]
    fairness_attributes: tuple[str, ...]

    @property
    def running(self) -> bool:
        """True while the programme has not ended at the extract date."""
        return self.end > EXTRACT_DATE

    @property
    def last_record_day(self) -> dt.date:
        return min(self.end, EXTRACT_DATE)


def _waves(baseline: tuple[dt.date, dt.date], pulse_months: tuple[dt.date, ...],
           midpoint: tuple[dt.date, dt.date], end: tuple[dt.date, dt.date], programme_end: dt.date,
           rates: tuple[float, ...]) -> tuple[_Wave, ...]:
    pulses = tuple(
        _Wave("pulse", "pulse_30day", f"pulse_{month:%Y-%m}", month, month + dt.timedelta(days=11), rate)
        for month, rate in zip(pulse_months, rates[1:4])
    )
    return (
        _Wave("baseline", "baseline", "survey_baseline", *baseline, rates[0]),
        *pulses,
        _Wave("midpoint", "midpoint", "survey_midpoint", *midpoint, rates[4]),
        _Wave("end", "end_of_programme", "survey_end", *end, rates[5]),
        _Wave("session_feedback", "session_feedback", "session_feedback", baseline[0], programme_end, 0.0),
    )


_SPECS: dict[str, _Spec] = {
    "northwind": _Spec(
        slug="northwind", client="Northwind Traders (fictional)", sector="Wholesale distribution",
        domain="northwind.example", programme_name="Northwind Mentoring Programme 2026", template="formal",
        start=dt.date(2026, 3, 2), end=dt.date(2026, 11, 30), matching_day=dt.date(2026, 2, 16),
        survey_tool="qualtrics", tool_timezone="Europe/London", review_months=(1, 3, 6, 9),
        waves=_waves((dt.date(2026, 2, 23), dt.date(2026, 3, 13)),
                     (dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)),
                     (dt.date(2026, 7, 13), dt.date(2026, 7, 24)), (dt.date(2026, 11, 9), dt.date(2026, 11, 20)),
                     dt.date(2026, 11, 20), (0.80, 0.76, 0.71, 0.67, 0.69, 0.64)),
        consultant="Alex Morgan", sponsor="Chief People Officer", currency="GBP",
        roi=(("programme_cost", 85000), ("average_salary", 52000), ("replacement_cost_share_of_salary", 0.5),
             ("hours_per_meeting_participant", 1.5), ("hourly_cost", 45)),
        fairness_attributes=("department", "site", "gender"),
    ),
    "riverbank": _Spec(
        slug="riverbank", client="Riverbank Building Society (fictional)", sector="Financial services (mutual)",
        domain="riverbank.example", programme_name="Riverbank Reverse Mentoring Pilot", template="reverse",
        start=dt.date(2026, 4, 6), end=dt.date(2026, 9, 30), matching_day=dt.date(2026, 3, 23),
        survey_tool="microsoft_forms", tool_timezone="Europe/London", review_months=(1, 3, 6),
        waves=_waves((dt.date(2026, 3, 30), dt.date(2026, 4, 17)),
                     (dt.date(2026, 5, 6), dt.date(2026, 6, 3), dt.date(2026, 7, 1)),
                     (dt.date(2026, 6, 29), dt.date(2026, 7, 10)), (dt.date(2026, 9, 14), dt.date(2026, 9, 30)),
                     dt.date(2026, 9, 30), (0.78, 0.74, 0.70, 0.66, 0.70, 0.66)),
        consultant="Alex Morgan", sponsor="Chief People Officer", currency="GBP",
        roi=(("programme_cost", 18000), ("average_salary", 34000), ("replacement_cost_share_of_salary", 0.3),
             ("hours_per_meeting_participant", 1.25), ("hourly_cost", 38)),
        fairness_attributes=("department", "site", "gender", "age_band"),
    ),
    "lumen": _Spec(
        slug="lumen", client="Lumen Labs (fictional)", sector="Software start-up (research tools)",
        domain="lumen.example", programme_name="Lumen Circles 2026", template="group",
        start=dt.date(2026, 5, 4), end=dt.date(2026, 10, 30), matching_day=dt.date(2026, 4, 24),
        survey_tool="google_forms", tool_timezone="Europe/Lisbon", review_months=(1, 3, 6),
        waves=_waves((dt.date(2026, 4, 27), dt.date(2026, 5, 15)),
                     (dt.date(2026, 6, 3), dt.date(2026, 7, 1), dt.date(2026, 8, 5)),
                     (dt.date(2026, 7, 27), dt.date(2026, 8, 7)), (dt.date(2026, 10, 12), dt.date(2026, 10, 30)),
                     dt.date(2026, 10, 30), (0.80, 0.75, 0.70, 0.66, 0.70, 0.66)),
        consultant="Alex Morgan", sponsor="Head of Operations", currency="EUR",
        roi=(("programme_cost", 12000), ("average_salary", 68000), ("replacement_cost_share_of_salary", 0.6),
             ("hours_per_meeting_participant", 1.5), ("hourly_cost", 55)),
        fairness_attributes=("department", "site", "gender"),
    ),
}


# ---------------------------------------------------------------------------------------------
# The programme as it ran: pairs, circles, meetings
# ---------------------------------------------------------------------------------------------


@dataclass
class _Pair:
    mentee_id: str
    mentor_id: str
    matched_on: dt.date
    fate: str                        # normal | inactive | no_fault_exit | workload
    quality: float                   # latent relationship quality: around +0.4 good, below -0.5 poor
    first_meeting: dt.date
    inactive_from: dt.date | None = None
    ended_on: dt.date | None = None
    end_reason: str = ""
    status: str = "active"
    meetings: list[tuple[dt.date, int, str, str, bool]] = field(default_factory=list)  # date, minutes, mode, logger, logged

    def active_on(self, day: dt.date) -> bool:
        return self.matched_on <= day and (self.ended_on is None or self.ended_on > day)

    def last_possible_meeting(self, spec: _Spec) -> dt.date:
        limits = [spec.last_record_day, self.ended_on or spec.last_record_day,
                  self.inactive_from or spec.last_record_day]
        return min(limits)


@dataclass
class _Circle:
    circle_id: str
    facilitator_id: str
    member_ids: list[str]
    quality: float
    inactive_from: dt.date | None = None
    meetings: list[tuple[str, dt.date, int, str, dict[str, bool]]] = field(default_factory=list)

    @property
    def everyone(self) -> list[str]:
        return [self.facilitator_id, *self.member_ids]


@dataclass
class _Response:
    person: Person
    role: str                                   # Mentor | Mentee (the answer to the ROLE item)
    submitted: dt.datetime                      # local time of the respondent
    duration_seconds: int
    answers: dict[str, object]                  # item id -> answer, None when skipped
    progress: int = 100
    finished: bool = True


@dataclass
class _ClientData:
    """Everything generated for one client, ready to be written."""

    spec: _Spec
    org: _Org
    participant_ids: list[str]
    comparison_ids: list[str]
    pairs: list[_Pair] = field(default_factory=list)
    circles: list[_Circle] = field(default_factory=list)
    checkins: list[list[object]] = field(default_factory=list)
    surveys: dict[str, list[_Response]] = field(default_factory=dict)
    person_quality: dict[str, float] = field(default_factory=dict)

    @property
    def people(self) -> dict[str, Person]:
        return self.org.people

    def participants(self) -> list[Person]:
        return [self.people[person_id] for person_id in self.participant_ids]

    def matched_ids(self) -> list[str]:
        """Participants who were in at least one pair or circle, in roster order."""
        matched: set[str] = set()
        for pair in self.pairs:
            matched.update((pair.mentee_id, pair.mentor_id))
        for circle in self.circles:
            matched.update(circle.everyone)
        return [person_id for person_id in self.participant_ids if person_id in matched]

    def first_matched_on(self, person_id: str) -> dt.date | None:
        dates = [pair.matched_on for pair in self.pairs if person_id in (pair.mentee_id, pair.mentor_id)]
        dates += [self.spec.matching_day for circle in self.circles if person_id in circle.everyone]
        return min(dates) if dates else None


_Eligible = Callable[[Person, Person], bool]
_Score = Callable[[Person, Person], float]


@dataclass
class _FirstRound:
    """The programme's first match, made with the toolkit on the roster the client sent (sample ids)."""

    pairs: list[tuple[str, str]] = field(default_factory=list)                 # (mentee, mentor)
    circles: list[tuple[str, str, list[str]]] = field(default_factory=list)   # (circle id, facilitator, members)


#: How ``match`` names a circle of the round it adopts (see toolkit/rounds.py): the sample's circles,
#: and the meetings logged against them, carry the ids the demo's first round gives them.
_FIRST_ROUND_CIRCLE = "R1-{}"


def _first_round(data: _ClientData, client_yaml: Path) -> _FirstRound:
    """Match the written roster with the toolkit, as the consultant did before the programme started.

    ``client_yaml`` names the participant files, the org chart, the design (and, for Northwind,
    the mentees' ranked choices); the match is :func:`toolkit.rounds.client_match`, the one the
    ``match`` command adopts.
    """
    config = load_client(client_yaml)
    roster = config.roster()
    result = client_match(config, roster=roster)
    by_email = data.org.new_id is None

    def sample_id(participant_id: object) -> str:
        return str(roster.get(str(participant_id))["email"]) if by_email else str(participant_id)

    if result.shape == "circles":
        circles = []
        for circle_id, group in result.circles.groupby("circle_id", sort=True):
            roles = dict(zip(group["participant_id"], group["circle_role"]))
            facilitators = [sample_id(pid) for pid, role in roles.items() if role == "facilitator"]
            if len(facilitators) != 1:
                raise AssertionError(f"{data.spec.slug}: circle {circle_id} has {len(facilitators)} facilitators")
            members = [sample_id(pid) for pid, role in roles.items() if role != "facilitator"]
            circles.append((_FIRST_ROUND_CIRCLE.format(circle_id), facilitators[0], members))
        return _FirstRound(circles=circles)
    pairs = sorted((sample_id(mentee), sample_id(mentor))
                   for mentee, mentor in zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    return _FirstRound(pairs=pairs)


def _pair_fates(data: _ClientData, pairs: list[tuple[str, str]], rng: np.random.Generator,
                matched_on: Callable[[Person], dt.date]) -> list[_Pair]:
    """Turn the match into relationships: most work, some go quiet, a few end early."""
    spec, people = data.spec, data.people
    count = len(pairs)
    fates = ["normal"] * count
    # Pairs with less engaged people are the ones that drift.
    drift_weight = [math.exp(-0.6 * (people[mentee].engagement + people[mentor].engagement)) for mentee, mentor in pairs]
    indexes = list(range(count))
    inactive = _sample(rng, indexes, round(0.12 * count), drift_weight)
    rest = [index for index in indexes if index not in inactive]
    no_fault = _sample(rng, rest, max(1, round(0.03 * count)), [drift_weight[index] for index in rest])
    rest = [index for index in rest if index not in no_fault]
    workload = _sample(rng, rest, max(1, round(0.02 * count)))
    for index in inactive:
        fates[index] = "inactive"
    for index in no_fault:
        fates[index] = "no_fault_exit"
    for index in workload:
        fates[index] = "workload"
    result = []
    for (mentee_id, mentor_id), fate in zip(pairs, fates):
        mentee = people[mentee_id]
        matched = matched_on(mentee)
        result.append(_new_pair(spec, rng, mentee_id, mentor_id, matched, max(matched, mentee.start_date or spec.start),
                                fate))
    return result


def _new_pair(spec: _Spec, rng: np.random.Generator, mentee_id: str, mentor_id: str, matched: dt.date,
              can_start: dt.date, fate: str) -> _Pair:
    quality_by_fate = {"normal": (0.42, 0.33), "inactive": (-0.85, 0.35), "no_fault_exit": (-1.35, 0.3),
                       "workload": (-0.2, 0.35)}
    mean, spread = quality_by_fate[fate]
    first_meeting = _workday(can_start + dt.timedelta(days=int(rng.integers(3, 18))))
    pair = _Pair(mentee_id, mentor_id, matched, fate, round(float(rng.normal(mean, spread)), 3), first_meeting)
    if fate == "inactive":
        pair.inactive_from = first_meeting + dt.timedelta(days=30 * int(rng.integers(1, 4)) + int(rng.integers(3, 12)))
    elif fate == "no_fault_exit":
        pair.ended_on = _workday(first_meeting + dt.timedelta(days=int(rng.integers(42, 85))))
        pair.end_reason = "no_fault_exit"
    elif fate == "workload":
        pair.ended_on = _workday(first_meeting + dt.timedelta(days=int(rng.integers(100, 161))))
        pair.end_reason = "mentor_workload"
    if pair.ended_on is not None and pair.ended_on > spec.last_record_day:
        pair.ended_on, pair.end_reason = None, ""
    return pair


@dataclass(frozen=True)
class _HrRates:
    """Shares who left, and who were promoted, by the extract date (participants by role)."""

    leave: tuple[tuple[str, float], ...]
    promote: tuple[tuple[str, float], ...]


def _hr_events(data: _ClientData, rates: _HrRates, rng: np.random.Generator, roles: dict[str, str]) -> None:
    """Who left and who was promoted between the programme start and the extract.

    ``roles`` gives each participant's group (mentor, mentee, both); everyone in
    ``comparison_ids`` is in the comparison group. Exact counts per group (not coin flips)
    so that small clients still have a few leavers to show.
    """
    spec, people = data.spec, data.people
    groups: dict[str, list[str]] = {}
    for person_id in data.participant_ids:
        groups.setdefault(roles[person_id], []).append(person_id)
    groups["comparison"] = list(data.comparison_ids)
    poor = {person_id: quality for person_id, quality in data.person_quality.items()}
    for group, share in rates.leave:
        members = groups.get(group, [])
        # Disengaged people and people in poor relationships leave more often.
        weights = [math.exp(-0.35 * people[pid].engagement - 0.5 * min(0.0, poor.get(pid, 0.0))) for pid in members]
        for person_id in _sample(rng, members, round(share * len(members)), weights):
            first = spec.start + dt.timedelta(days=21 if group != "comparison" else 0)
            people[person_id].left_date = _workday(_uniform_date(rng, first, EXTRACT_DATE - dt.timedelta(days=5)))
            if people[person_id].left_date > EXTRACT_DATE:
                people[person_id].left_date = EXTRACT_DATE - dt.timedelta(days=3)
    for group, share in rates.promote:
        members = [pid for pid in groups.get(group, []) if people[pid].level < 8]
        weights = [math.exp(0.6 * poor.get(pid, 0.0) + 0.2 * people[pid].engagement) for pid in members]
        for person_id in _sample(rng, members, round(share * len(members)), weights):
            person = people[person_id]
            day = _workday(_uniform_date(rng, spec.start + dt.timedelta(days=30), EXTRACT_DATE - dt.timedelta(days=5)))
            if person.left_date is None or day < person.left_date:
                person.promotion_date = day


def _apply_leavers_and_rematch(data: _ClientData, pairs: list[_Pair], eligible: _Eligible, score: _Score,
                               rng: np.random.Generator) -> list[_Pair]:
    """End pairs whose people left; rematch mentees whose pair ended early in the first months."""
    spec, people = data.spec, data.people

    def apply_leaving(pair: _Pair) -> None:
        for person_id in (pair.mentee_id, pair.mentor_id):
            left = people[person_id].left_date
            if left is not None and left < (pair.ended_on or spec.last_record_day + dt.timedelta(days=1)):
                pair.ended_on, pair.end_reason = left, "left_organisation"

    for pair in pairs:
        apply_leaving(pair)
    cutoff = spec.start + dt.timedelta(days=int(0.6 * (spec.end - spec.start).days))
    to_rematch = sorted(
        (pair for pair in pairs
         if pair.ended_on is not None and pair.ended_on < cutoff
         and (pair.end_reason == "no_fault_exit"
              or (pair.end_reason == "left_organisation" and people[pair.mentee_id].employed_on(pair.ended_on)))),
        key=lambda pair: (pair.ended_on, pair.mentee_id),
    )
    all_pairs = list(pairs)
    for ended in to_rematch:
        mentee = people[ended.mentee_id]
        matched = _workday(ended.ended_on + dt.timedelta(days=int(rng.integers(7, 19))))
        if not mentee.employed_on(matched + dt.timedelta(days=30)):
            continue
        previous = {pair.mentor_id for pair in all_pairs if pair.mentee_id == mentee.person_id}
        candidates = []
        for mentor_id in data.participant_ids:
            mentor = people[mentor_id]
            if mentor.role not in ("mentor", "both") or mentor_id in previous or mentor_id == mentee.person_id:
                continue
            # Every pair of theirs not ended by then, including one re-matched to start a day or two later.
            load = sum(1 for pair in all_pairs if pair.mentor_id == mentor_id
                       and (pair.ended_on is None or pair.ended_on > matched))
            if load >= (mentor.capacity or 1) or not mentor.employed_on(matched + dt.timedelta(days=30)):
                continue
            if eligible(mentee, mentor):
                candidates.append(mentor_id)
        if not candidates:
            continue
        best = max(candidates, key=lambda mentor_id: (score(mentee, people[mentor_id]), mentor_id))
        fate = "normal" if _chance(rng, 0.9) else "inactive"
        new = _new_pair(spec, rng, mentee.person_id, best, matched, matched, fate)
        apply_leaving(new)
        all_pairs.append(new)
    return all_pairs


def _settle_statuses(data: _ClientData, pairs: list[_Pair], rng: np.random.Generator) -> None:
    spec = data.spec
    for pair in pairs:
        if pair.ended_on is not None:
            pair.status = "ended_early"
        elif not spec.running:
            pair.status, pair.ended_on = "completed", spec.end
        elif pair.fate == "normal" and pair.quality > 0.55 and _chance(rng, 0.12):
            # Some pairs hold a closing meeting once their goals are met, before the official end.
            pair.status = "completed"
            pair.ended_on = _workday(_uniform_date(rng, dt.date(2026, 10, 12), dt.date(2026, 11, 16)))
        else:
            pair.status = "active"


def _simulate_pair_meetings(data: _ClientData, pairs: list[_Pair], rng: np.random.Generator) -> None:
    spec, people = data.spec, data.people
    for pair in pairs:
        mentee, mentor = people[pair.mentee_id], people[pair.mentor_id]
        same_site = mentee.site.name == mentor.site.name
        if not same_site:
            in_person_share = 0.03       # only when one of them is visiting
        elif "Virtual" in (mentee.meeting_mode, mentor.meeting_mode):
            in_person_share = 0.2
        elif mentee.meeting_mode == mentor.meeting_mode == "In person":
            in_person_share = 0.85
        else:
            in_person_share = 0.55
        day, last = pair.first_meeting, pair.last_possible_meeting(spec)
        gap_mean = 27 if pair.quality > 0.6 else 31
        while day <= last:
            minutes = int(_pick(rng, (30, 45, 60, 75, 90), (0.12, 0.2, 0.45, 0.1, 0.13)))
            mode = "in_person" if _chance(rng, in_person_share) else "virtual"
            logger = pair.mentee_id if _chance(rng, 0.65) else pair.mentor_id
            pair.meetings.append((day, minutes, mode, logger, _chance(rng, 0.88)))
            gap = max(12, int(round(rng.normal(gap_mean, 6))))
            if _chance(rng, 0.1):
                gap += 28  # a month skipped for holidays or busy periods
            day = _workday(day + dt.timedelta(days=gap))
    # A programme that has ended closes with a last meeting on its final day for most pairs still
    # meeting (their own draws, so the meetings above do not change).
    closing = _rng(spec.slug, "closing meetings")
    for pair in pairs:
        if (spec.running or pair.status != "completed" or pair.inactive_from is not None or not pair.meetings
                or spec.end.weekday() >= 5 or pair.meetings[-1][0] >= spec.end):
            continue
        if _chance(closing, 0.7):
            logger = pair.mentee_id if _chance(closing, 0.65) else pair.mentor_id
            pair.meetings.append((spec.end, 60, "in_person" if _chance(closing, 0.5) else "virtual", logger,
                                  _chance(closing, 0.88)))


_PROPER_NOUN_SKILLS = frozenset({"Python", "SQL", "Excel", "Kubernetes", "FP&A"})


def _lower_first(skill: str) -> str:
    """"Public speaking" -> "public speaking" inside a sentence; "Python" and "FP&A" stay as they are."""
    return skill if skill in _PROPER_NOUN_SKILLS else skill[:1].lower() + skill[1:]


def _goal_texts(data: _ClientData, person: Person, rng: np.random.Generator, templates: dict[str, tuple[str, ...]],
                themes: list[str]) -> list[tuple[str, str]]:
    """One to three (theme, goal text) pairs for a mentee, from the themes they chose."""
    spec = data.spec
    count = int(_pick(rng, (1, 2, 3), (0.3, 0.45, 0.25)))
    usable = [theme for theme in themes if theme in templates] or list(templates)
    chosen_themes = [usable[index % len(usable)] for index in range(count)]
    skills = list(person.skills_sought) or ["the skills my role needs"]
    goals, used = [], set()
    for index, theme in enumerate(chosen_themes):
        options = [text for text in templates[theme] if text not in used]
        if not options:
            continue
        template = _pick(rng, options)
        used.add(template)
        months_in = int(rng.integers(3, max(4, (spec.end.year - spec.start.year) * 12 + spec.end.month - spec.start.month)))
        deadline = _add_months(spec.start, months_in)
        skill = skills[index % len(skills)]
        text = template.format(skill=skill, skill_lower=_lower_first(skill), month=f"{deadline:%B %Y}",
                               department=person.department)
        goals.append((theme, text))
    return goals


def _checkin_rows(data: _ClientData, holder: Person, partner_column: Callable[[dt.date], tuple[str, str, dt.date, float] | None],
                  goals: list[tuple[str, str]], rng: np.random.Generator) -> list[list[object]]:
    """Goal check-ins at the programme's review points.

    ``partner_column(day)`` gives (mentor or circle id, fate, first meeting, quality) for the
    relationship the person is in on that day, or None when they are in none.
    """
    spec = data.spec
    rows: list[list[object]] = []
    last_review = spec.review_months[-1]
    targets = {}
    previous: dict[int, int] = {}
    achieved: set[int] = set()
    stalled_reported = False
    for month in spec.review_months:
        day = _add_months(spec.start, month) + dt.timedelta(days=int(rng.integers(-3, 7)))
        if month == last_review and not spec.running:
            day = min(day, spec.end - dt.timedelta(days=4))
        day = _workday(day)
        if day > EXTRACT_DATE or not holder.employed_on(day):
            break
        relationship = partner_column(day)
        if relationship is None:
            break
        partner, fate, first_meeting, quality = relationship
        if day < first_meeting + dt.timedelta(days=5):
            continue
        went_quiet = fate == "inactive_now"
        for index, (theme, text) in enumerate(goals):
            if index in achieved:
                continue
            if index not in targets:
                target = float(np.clip(rng.normal(72 + 28 * quality, 18), 5, 100))
                targets[index] = 100.0 if target >= 92 else target
            before = previous.get(index, 0)
            if went_quiet:
                percent, status = before, "stalled"
            else:
                fraction = min(1.0, (day - first_meeting).days / max(30, (spec.end - first_meeting).days))
                percent = int(round((targets[index] * min(1.0, fraction * 1.15) ** 0.9 + rng.normal(0, 6)) / 5) * 5)
                percent = int(np.clip(max(percent, before), 0, 100))
                if targets[index] >= 100 and fraction >= 0.9:
                    percent = 100
                expected = 100 * fraction
                if percent >= 100:
                    status = "achieved"
                    achieved.add(index)
                elif percent == 0:
                    status = "not_started"
                elif before and percent - before < 5:
                    status = "stalled"
                elif percent < expected - 25:
                    status = "at_risk"
                else:
                    status = "on_track"
            previous[index] = percent
            note = _pick(rng, _CHECKIN_NOTES[status]) if _chance(rng, 0.7) else ""
            rows.append([holder.person_id, partner, f"G{index + 1}", text, theme, day.isoformat(), status, percent, note])
        if went_quiet:
            if stalled_reported:
                break
            stalled_reported = True
    return rows


def _pair_checkins(data: _ClientData, rng: np.random.Generator,
                   templates_for: Callable[[Person], dict[str, tuple[str, ...]]]) -> None:
    people = data.people
    mentee_ids = [pid for pid in data.participant_ids if any(pair.mentee_id == pid for pair in data.pairs)]
    for mentee_id in mentee_ids:
        mentee = people[mentee_id]
        own_pairs = [pair for pair in data.pairs if pair.mentee_id == mentee_id]
        goals = _goal_texts(data, mentee, rng, templates_for(mentee), mentee.goals)

        def relationship(day: dt.date, own_pairs=own_pairs):
            current = [pair for pair in own_pairs if pair.active_on(day)]
            if not current:
                return None
            pair = current[-1]
            fate = "inactive_now" if pair.inactive_from is not None and day >= pair.inactive_from else "active"
            return pair.mentor_id, fate, own_pairs[0].first_meeting, pair.quality

        data.checkins += _checkin_rows(data, mentee, relationship, goals, rng)


# ---------------------------------------------------------------------------------------------
# Surveys: simulated answers to the instruments in templates/surveys/
# ---------------------------------------------------------------------------------------------


def load_instrument(instrument_id: str, folder: str | Path | None = None) -> dict:
    """Read one survey instrument (``templates/surveys/<id>.yaml``) as a dictionary.

    Parameters
    ----------
    instrument_id
        ``baseline``, ``pulse_30day``, ``session_feedback``, ``midpoint`` or ``end_of_programme``.
    folder
        Where the instruments live; by default the toolkit's ``templates/surveys``.
    """
    path = Path(folder or INSTRUMENT_DIR) / f"{instrument_id}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# Scored constructs: (mean on the 1-5 scale for an average relationship, change per unit of quality).
_CONSTRUCT_LEVELS = {
    "career_support": (3.5, 0.75), "psychosocial_support": (3.85, 0.8), "role_modelling": (3.6, 0.7),
    "relationship_quality": (3.95, 0.85), "negative_experiences": (1.85, -0.85), "goal_progress": (3.05, 0.7),
    "programme_features": (3.65, 0.25), "session_quality": (4.05, 0.5),
}
_PRE_POST = ("self_efficacy", "career_clarity", "mentor_competencies")


@dataclass
class _Traits:
    """A respondent's stable answering tendencies, so that their waves hang together."""

    offsets: dict[str, float]
    pre: dict[str, float]
    post: dict[str, float]
    nps_offset: float


def _traits(data: _ClientData, rng: np.random.Generator) -> dict[str, _Traits]:
    traits = {}
    for person_id in data.matched_ids():
        quality = data.person_quality.get(person_id, 0.0)
        offsets = {construct: float(rng.normal(0, 0.3)) for construct in sorted(_CONSTRUCT_LEVELS)}
        starts = {"self_efficacy": (3.25, 0.5), "career_clarity": (3.0, 0.55), "mentor_competencies": (3.75, 0.45)}
        # Real but modest change: mentees in working relationships gain most, those whose pair went
        # quiet barely move (this is what pre/post analysis should find).
        gains = {"self_efficacy": (0.2 + 0.25 * quality, 0.42), "career_clarity": (0.24 + 0.25 * quality, 0.45),
                 "mentor_competencies": (0.1 + 0.1 * quality, 0.3)}
        pre = {name: float(rng.normal(*starts[name])) for name in _PRE_POST}
        post = {name: pre[name] + float(rng.normal(*gains[name])) for name in _PRE_POST}
        traits[person_id] = _Traits(offsets, pre, post, float(rng.normal(0, 1.0)))
    return traits


def _role_in_programme(data: _ClientData, person_id: str) -> str:
    """The answer a participant gives to "I am taking part as a" (people who are both answer Mentee)."""
    if any(pair.mentee_id == person_id for pair in data.pairs) or any(
            person_id in circle.member_ids for circle in data.circles):
        return "Mentee"
    return "Mentor"


@dataclass
class _State:
    quality: float
    quiet: bool                      # the relationship has stopped meeting (or ended)
    partner_first: str
    last_meeting: dt.date | None


def _state_on(data: _ClientData, person_id: str, role: str, day: dt.date) -> _State:
    people = data.people
    for circle in data.circles:
        if person_id in circle.everyone:
            attended = [meeting[1] for meeting in circle.meetings if meeting[1] <= day and meeting[4].get(person_id)]
            if person_id == circle.facilitator_id:
                partner = people[circle.member_ids[len(circle.member_ids) // 2]].first
            else:
                partner = people[circle.facilitator_id].first
            quiet = circle.inactive_from is not None and day >= circle.inactive_from
            return _State(data.person_quality.get(person_id, circle.quality), quiet, partner,
                          max(attended) if attended else None)
    side = (lambda pair: pair.mentee_id) if role == "Mentee" else (lambda pair: pair.mentor_id)
    own = [pair for pair in data.pairs if side(pair) == person_id and pair.matched_on <= day]
    if not own:
        return _State(0.0, False, "", None)
    current = [pair for pair in own if pair.active_on(day)] or [max(own, key=lambda pair: pair.matched_on)]
    quality = float(np.mean([pair.quality for pair in current]))
    quiet = all(not pair.active_on(day) or (pair.inactive_from is not None and day >= pair.inactive_from)
                for pair in current)
    partner_id = current[-1].mentor_id if role == "Mentee" else current[0].mentee_id
    held = [meeting[0] for pair in own for meeting in pair.meetings if meeting[0] <= day]
    return _State(quality, quiet, people[partner_id].first, max(held) if held else None)


def _comment(rng: np.random.Generator, slug: str, kind: str, role: str, partner_first: str) -> str:
    pool = [text for who, text in _COMMENTS[slug][kind] if who in ("any", role.lower())]
    text = _pick(rng, pool)
    return text.replace("{partner}", partner_first or "my mentor").replace("{coordinator}", _COORDINATORS[slug])


_COMMENT_ANSWER_SHARE = {"COMMENT_HOPES": 0.55, "COMMENT_BEST": 0.5, "COMMENT_IMPROVE": 0.42, "PULSE_COMMENT": 0.18,
                         "SESSION_COMMENT": 0.2}


def _comment_for(rng: np.random.Generator, slug: str, item_id: str, role: str, state: _State) -> str | None:
    if not _chance(rng, _COMMENT_ANSWER_SHARE.get(item_id, 0.3)):
        return None
    poor = state.quality < -0.45 or state.quiet
    if item_id == "COMMENT_HOPES":
        kind = "hopes"
    elif item_id == "COMMENT_BEST":
        kind = "negative" if poor and _chance(rng, 0.7) else "praise"
    elif item_id == "COMMENT_IMPROVE":
        kind = "negative" if poor and _chance(rng, 0.5) else ("scheduling" if _chance(rng, 0.3) else "improve")
    elif item_id == "PULSE_COMMENT":
        kind = "negative" if poor and _chance(rng, 0.6) else ("scheduling" if _chance(rng, 0.55) else "praise")
    else:
        kind = "session"
    return _comment(rng, slug, kind, role, state.partner_first)


def _answers(data: _ClientData, instrument: dict, wave_key: str, role: str, state: _State, traits: _Traits,
             day: dt.date, rng: np.random.Generator, meeting_date: dt.date | None = None) -> dict[str, object]:
    spec = data.spec
    months = max(0, (day - spec.start).days) / 30.4
    answers: dict[str, object] = {}
    for item in instrument["items"]:
        item_id, audience = item["id"], item.get("audience", "all")
        if audience not in ("all", role.lower()):
            answers[item_id] = None
            continue
        if item_id == "ROLE":
            answers[item_id] = role
            continue
        kind = item.get("type", "scale")
        if kind == "date":
            answers[item_id] = meeting_date
            continue
        if kind == "text":
            answers[item_id] = _comment_for(rng, spec.slug, item_id, role, state)
            continue
        scale = instrument["scales"][item["scale"]]
        construct = item["construct"]
        if scale["min"] is None:
            labels = scale["labels"]
            if construct == "meeting_activity":
                met = state.last_meeting is not None and (day - state.last_meeting).days <= 35
                answers[item_id] = ("Yes" if met else "No") if _chance(rng, 0.96) else ("No" if met else "Yes")
            elif construct == "take_part_again":
                yes = _sigmoid(1.2 + 2.0 * state.quality)
                draw = rng.random()
                answers[item_id] = "Yes" if draw < yes else ("Maybe" if draw < yes + (1 - yes) * 0.6 else "No")
            else:
                answers[item_id] = labels[0]
            continue
        if _chance(rng, 0.025):
            answers[item_id] = None  # skipped
            continue
        low, high = int(scale["min"]), int(scale["max"])
        if construct == "nps":
            value = 7.3 + 1.9 * state.quality + 0.9 * traits.nps_offset + rng.normal(0, 1.2)
            answers[item_id] = int(np.clip(round(value), low, high))
            continue
        if construct in _PRE_POST:
            latent = traits.post[construct] if wave_key == "end" else traits.pre[construct]
        else:
            base, slope = _CONSTRUCT_LEVELS[construct]
            latent = base + slope * state.quality + traits.offsets[construct]
            if construct == "goal_progress":
                latent += 0.08 * months
            if state.quiet and construct in ("relationship_quality", "goal_progress"):
                latent -= 0.4
        raw = int(np.clip(round(latent + rng.normal(0, 0.55)), low, high))
        answers[item_id] = low + high - raw if item.get("reverse") else raw
    return answers


def _local_moment(rng: np.random.Generator, person: Person, day: dt.date, tool_timezone: str) -> dt.datetime:
    """A plausible working-hours moment on ``day`` where the person is, in the survey tool's time zone."""
    hours = float(np.clip(rng.normal(12.5, 2.6), 7.5, 19.5))
    seconds = int(hours * 3600) + int(rng.integers(0, 60))
    local = dt.datetime.combine(day, dt.time(0), tzinfo=zoneinfo.ZoneInfo(person.timezone)) + dt.timedelta(
        seconds=seconds)
    return local.astimezone(zoneinfo.ZoneInfo(tool_timezone)).replace(tzinfo=None)


def _duration(rng: np.random.Generator, answers: dict[str, object]) -> int:
    answered = [value for value in answers.values() if value is not None]
    texts = sum(1 for value in answered if isinstance(value, str) and len(value) > 12)
    return int(len(answered) * rng.uniform(5, 12) + texts * rng.uniform(25, 70) + rng.uniform(15, 40))


def _survey_wave(data: _ClientData, wave: _Wave, instrument: dict, traits: dict[str, _Traits],
                 rng: np.random.Generator) -> list[_Response]:
    spec, people = data.spec, data.people
    responses = []
    for person_id in data.matched_ids():
        person = people[person_id]
        matched_on = data.first_matched_on(person_id)
        if matched_on is None or matched_on > wave.closes or not person.employed_on(wave.opens):
            continue  # not invited
        role = _role_in_programme(data, person_id)
        earliest = max(wave.opens, matched_on)
        state = _state_on(data, person_id, role, earliest)
        propensity = _logit(wave.response_rate) + 0.7 * person.engagement - (0.9 if state.quiet else 0.0)
        if not _chance(rng, _sigmoid(propensity)):
            continue
        day = earliest + dt.timedelta(days=int(rng.exponential(3.0)))
        day = min(_workday(day), wave.closes)
        if not person.employed_on(day):
            continue
        state = _state_on(data, person_id, role, day)
        answers = _answers(data, instrument, wave.key, role, state, traits[person_id], day, rng)
        response = _Response(person, role, _local_moment(rng, person, day, spec.tool_timezone),
                             _duration(rng, answers), answers)
        if spec.survey_tool == "qualtrics" and _chance(rng, 0.03):
            # Qualtrics keeps responses people started but did not submit.
            item_ids = [item["id"] for item in instrument["items"]]
            cut = int(rng.integers(max(2, len(item_ids) // 3), max(3, len(item_ids) - 1)))
            for item_id in item_ids[cut:]:
                response.answers[item_id] = None
            response.progress = int(round(100 * cut / len(item_ids)))
            response.finished = False
        responses.append(response)
    return responses


def _session_feedback(data: _ClientData, instrument: dict, traits: dict[str, _Traits],
                      rng: np.random.Generator) -> list[_Response]:
    spec, people = data.spec, data.people
    meetings: list[tuple[dt.date, int, list[tuple[str, str, float]], float]] = []
    for pair in data.pairs:
        for index, meeting in enumerate(pair.meetings):
            meetings.append((meeting[0], index, [(pair.mentee_id, "Mentee", 0.30), (pair.mentor_id, "Mentor", 0.20)],
                             pair.quality))
    for circle in data.circles:
        for index, (_, day, _, _, attendance) in enumerate(circle.meetings):
            who = [(pid, "Mentor" if pid == circle.facilitator_id else "Mentee",
                    0.35 if pid == circle.facilitator_id else 0.28) for pid in circle.everyone if attendance.get(pid)]
            meetings.append((day, index, who, circle.quality))
    responses = []
    for day, index, who, quality in meetings:
        for person_id, role, base in who:
            person = people[person_id]
            if not _chance(rng, min(0.9, base * 0.9 ** index * math.exp(0.25 * person.engagement))):
                continue
            reply_day = _workday(day + dt.timedelta(days=int(rng.integers(0, 3))))
            if reply_day > EXTRACT_DATE or not person.employed_on(reply_day):
                continue
            state = _state_on(data, person_id, role, day)
            state.quality = quality + float(rng.normal(0, 0.35))
            answers = _answers(data, instrument, "session_feedback", role, state, traits[person_id], day, rng,
                               meeting_date=day)
            responses.append(_Response(person, role, _local_moment(rng, person, reply_day, spec.tool_timezone),
                                       _duration(rng, answers), answers))
    return responses


def _simulate_surveys(data: _ClientData) -> None:
    slug = data.spec.slug
    traits = _traits(data, _rng(slug, "traits"))
    for wave in data.spec.waves:
        instrument = load_instrument(wave.instrument)
        rng = _rng(slug, f"survey/{wave.stem}")
        if wave.key == "session_feedback":
            responses = _session_feedback(data, instrument, traits, rng)
        else:
            responses = _survey_wave(data, wave, instrument, traits, rng)
        data.surveys[wave.stem] = sorted(responses, key=lambda response: (response.submitted, response.person.email))


# ---------------------------------------------------------------------------------------------
# Shared sign-up helpers
# ---------------------------------------------------------------------------------------------

_OFFSET_DAY = dt.date(2026, 6, 1)


def _utc_offset(zone: str) -> float:
    moment = dt.datetime(_OFFSET_DAY.year, _OFFSET_DAY.month, _OFFSET_DAY.day, 12, tzinfo=zoneinfo.ZoneInfo(zone))
    return moment.utcoffset().total_seconds() / 3600  # type: ignore[union-attr]


def _stable_noise(*keys: str, scale: float = 0.4) -> float:
    """Reproducible noise for a pair of people, whatever order pairs are looked at in."""
    digest = hashlib.sha256("|".join(keys).encode("utf-8")).digest()
    uniform = int.from_bytes(digest[:8], "big") / 2 ** 64
    return scale * (uniform - 0.5) * 2


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri")


def _time_windows(rng: np.random.Generator, count: int) -> list[str]:
    days = sorted(_sample(rng, list(range(5)), count))
    windows = []
    for day in days:
        start = int(rng.integers(8, 17))
        length = int(_pick(rng, (1, 2, 2, 3)))
        end = min(18, start + length)
        windows.append(f"{_DAY_NAMES[day]} {start:02d}:00-{end:02d}:00")
    return windows


def _half_days(rng: np.random.Generator, count: int) -> list[str]:
    slots = sorted(_sample(rng, [(day, half) for day in range(5) for half in ("AM", "PM")], count))
    return [f"{_DAY_NAMES[day]} {half}" for day, half in slots]


def _weighted_themes(rng: np.random.Generator, weights: dict[str, float], count: int) -> list[str]:
    themes = list(weights)
    chosen = _sample(rng, themes, count, [weights[theme] for theme in themes])
    return sorted(chosen, key=THEMES.index)


def _disclose(rng: np.random.Generator, person: Person, *, gender_blank: float, age_blank: float,
              not_said: str = "") -> None:
    """What people chose to report: some leave the optional demographic questions blank."""
    person.disclosed_gender = not_said if _chance(rng, gender_blank) else person.gender
    person.age_band = not_said if _chance(rng, age_blank) else _age_band(person.age)


# ---------------------------------------------------------------------------------------------
# Northwind Traders: enterprise, formal one-to-one, HRIS extract, Qualtrics
# ---------------------------------------------------------------------------------------------

_NW_SITES = {
    "London": _Site("London", "Europe/London", "EMEA", 51.5074, -0.1278, (
        ("british", 46), ("indian", 9), ("west_african", 8), ("polish", 6), ("french", 6), ("south_asian_uk", 6),
        ("arabic", 4), ("chinese", 4), ("portuguese", 3), ("hispanic", 3), ("german", 3), ("turkish", 2))),
    "New York": _Site("New York", "America/New_York", "Americas", 40.7128, -74.0060, (
        ("american", 40), ("hispanic", 18), ("west_african", 7), ("chinese", 6), ("indian", 8), ("korean", 5),
        ("british", 4), ("filipino", 4), ("arabic", 3), ("vietnamese", 3), ("japanese", 2))),
    "Singapore": _Site("Singapore", "Asia/Singapore", "APAC", 1.3521, 103.8198, (
        ("chinese", 55), ("malay", 18), ("tamil", 9), ("indian", 6), ("filipino", 5), ("british", 4),
        ("japanese", 3))),
    "Bengaluru": _Site("Bengaluru", "Asia/Kolkata", "APAC", 12.9716, 77.5946, (
        ("indian", 78), ("tamil", 18), ("british", 2), ("chinese", 2))),
}
# department, head's title, head's office, then per director the two teams they run:
# (team, job title of its staff, ((office, headcount before scaling), ...)).
_NW_DEPARTMENTS = (
    ("Finance", "Chief Financial Officer", "London", (
        (("FP&A", "FP&A Analyst", (("London", 14), ("New York", 8))),
         ("Tax", "Tax Analyst", (("London", 9), ("New York", 6)))),
        (("Financial Control", "Accountant", (("London", 16), ("Bengaluru", 20))),
         ("Treasury", "Treasury Analyst", (("London", 8), ("Singapore", 6)))),
    )),
    ("Operations", "Chief Operating Officer", "Singapore", (
        (("Logistics", "Logistics Coordinator", (("London", 30), ("New York", 28), ("Singapore", 24))),
         ("Procurement", "Buyer", (("London", 14), ("Singapore", 10)))),
        (("Warehouse Planning", "Planner", (("New York", 20), ("Singapore", 16))),
         ("Customer Service", "Customer Service Advisor", (("Bengaluru", 40), ("New York", 18)))),
    )),
    ("Sales", "Chief Commercial Officer", "New York", (
        (("Key Accounts", "Account Executive", (("London", 20), ("New York", 24), ("Singapore", 12))),
         ("Partnerships", "Partnership Executive", (("New York", 8), ("Singapore", 8)))),
        (("Inside Sales", "Sales Representative", (("London", 18), ("New York", 22))),
         ("Sales Operations", "Sales Operations Analyst", (("London", 8), ("Bengaluru", 14)))),
    )),
    ("Technology", "Chief Technology Officer", "Bengaluru", (
        (("Data & Analytics", "Data Analyst", (("London", 14), ("Bengaluru", 26))),
         ("Platform Engineering", "Software Engineer", (("Bengaluru", 38), ("London", 12)))),
        (("Cybersecurity", "Security Analyst", (("London", 10), ("Singapore", 6))),
         ("IT Service Desk", "IT Support Analyst", (("Bengaluru", 18), ("New York", 8)))),
    )),
    ("People", "Chief People Officer", "London", (
        (("Talent Acquisition", "Recruiter", (("London", 8), ("New York", 6), ("Bengaluru", 6))),
         ("Reward", "Reward Analyst", (("London", 6),))),
        (("HR Business Partners", "HR Advisor", (("London", 8), ("New York", 6), ("Singapore", 4), ("Bengaluru", 4))),
         ("Learning & Development", "L&D Specialist", (("London", 8),))),
    )),
    ("Marketing", "Chief Marketing Officer", "London", (
        (("Brand", "Brand Executive", (("London", 12),)),
         ("Digital Marketing", "Digital Marketing Executive", (("London", 10), ("Singapore", 8)))),
        (("Product Marketing", "Product Marketing Executive", (("New York", 10),)),
         ("Insights", "Insights Analyst", (("London", 6), ("Bengaluru", 8)))),
    )),
)
_NW_STAFF_SCALE = 1.55       # headcounts above are before scaling to a ~1,200-person company
_NW_MEETING_MODES = {
    "London": (0.3, 0.25, 0.25, 0.2), "New York": (0.25, 0.3, 0.25, 0.2), "Singapore": (0.2, 0.35, 0.25, 0.2),
    "Bengaluru": (0.3, 0.25, 0.25, 0.2),
}
_MODES = ("In person", "Virtual", "Hybrid", "No preference")


def _northwind_org() -> _Org:
    spec = _SPECS["northwind"]
    org = _Org("northwind", _NameBook(spec.domain), _id_maker(_rng("northwind", "ids"), "E", 10000, 100000, 3000))
    rng = org.rng
    london = _NW_SITES["London"]
    ceo = org.add(department="Executive Office", team="Executive Team", site=london, level=8,
                  title="Chief Executive Officer", manager_id=None)
    for department, head_title, head_office, director_groups in _NW_DEPARTMENTS:
        head = org.add(department=department, team=f"{department} Leadership", site=_NW_SITES[head_office], level=7,
                       title=head_title, manager_id=ceo.person_id)
        for teams in director_groups:
            director_office = max(teams[0][2], key=lambda office: (office[1], office[0]))[0]
            director = org.add(department=department, team=f"{department} Leadership",
                               site=_NW_SITES[director_office], level=6,
                               title=f"Director, {teams[0][0]} and {teams[1][0]}", manager_id=head.person_id)
            for team, noun, offices in teams:
                main_office = max(offices, key=lambda office: (office[1], office[0]))[0]
                team_head = org.add(department=department, team=team, site=_NW_SITES[main_office], level=5,
                                    title=f"Head of {team}", manager_id=director.person_id)
                for office, headcount in offices:
                    staff_total = round(headcount * _NW_STAFF_SCALE)
                    manager_count = max(1, round(staff_total / 7.5))
                    for index in range(manager_count):
                        manager = org.add(department=department, team=team, site=_NW_SITES[office], level=4,
                                          title=f"{team} Manager", manager_id=team_head.person_id)
                        share = staff_total // manager_count + (1 if index < staff_total % manager_count else 0)
                        for _ in range(share):
                            level = _staff_level(rng, (0.3, 0.42, 0.28))
                            org.add(department=department, team=team, site=_NW_SITES[office], level=level,
                                    title=_staff_title(rng, noun, level), manager_id=manager.person_id)
    return org


def _northwind_rules(org: _Org) -> tuple[_Eligible, _Score]:
    offsets = {zone: _utc_offset(zone) for zone in sorted({site.timezone for site in _NW_SITES.values()})}

    def eligible(mentee: Person, mentor: Person) -> bool:
        return (mentor.person_id != mentee.person_id and mentor.level > mentee.level and mentor.team != mentee.team
                and not org.in_reporting_line(mentee.person_id, mentor.person_id)
                and mentor.person_id not in mentee.exclusions and mentee.person_id not in mentor.exclusions
                and bool(set(mentee.languages) & set(mentor.languages)))

    def score(mentee: Person, mentor: Person) -> float:
        skills = len(set(mentee.skills_sought) & set(mentor.skills_offered))
        goals = len(set(mentee.goals) & set(mentor.goals))
        preference = 0.0
        if mentor.person_id in mentee.preferences:
            preference = (6.0, 4.0, 3.0)[mentee.preferences.index(mentor.person_id)]
        hours_apart = abs(offsets[mentee.timezone] - offsets[mentor.timezone])
        gap = mentor.level - mentee.level
        return (3 * skills + goals + preference - 0.35 * hours_apart - 0.4 * abs(gap - 2)
                + 0.5 * (mentor.department != mentee.department)
                + _stable_noise("northwind", mentee.person_id, mentor.person_id))

    return eligible, score


def _northwind_signups(org: _Org) -> list[str]:
    """Choose who signed up and fill in their answers; returns participant ids."""
    spec = _SPECS["northwind"]
    rng = _rng("northwind", "signup")
    people = list(org.people.values())
    by_id = org.people

    def engaged(candidates: list[Person], count: int, must: Sequence[Person] = ()) -> list[Person]:
        rest = [person for person in candidates if person not in must]
        chosen = _sample(rng, rest, count - len(must), [math.exp(0.8 * person.engagement) for person in rest])
        return list(must) + chosen

    # Finance has too few mentors offering FP&A on purpose: the readiness check should ask for
    # two more Finance mentors with FP&A.
    fpna_head = next(person for person in people if person.title == "Head of FP&A")
    fpna_director = by_id[fpna_head.manager_id]
    fpna_managers = [person for person in people if person.team == "FP&A" and person.level == 4][:2]
    control_manager = next(person for person in people if person.team == "Financial Control" and person.level == 4)
    fpna_mentors = [fpna_head, fpna_director, *fpna_managers, control_manager]

    at_level = {level: [person for person in people if person.level == level] for level in range(1, 9)}
    mentors = (engaged(at_level[7], 3) + engaged(at_level[6], 9, [fpna_director])
               + engaged(at_level[5], 20, [fpna_head]) + engaged(at_level[4], 100, [*fpna_managers, control_manager])
               + engaged(at_level[3], 12))
    mentor_set = {person.person_id for person in mentors}
    both = _sample(rng, [person for person in mentors if person.level == 4 and person not in fpna_mentors], 4)
    staff = [person for person in people if person.level <= 3 and person.person_id not in mentor_set]
    level_weight = {1: 1.2, 2: 1.1, 3: 0.9}
    mentees = _sample(rng, staff, 336, [level_weight[p.level] * math.exp(0.5 * p.engagement) for p in staff])
    spare_managers = [person for person in at_level[4] if person.person_id not in mentor_set]
    mentees += _sample(rng, spare_managers, 12)

    for person in mentors:
        person.role = "both" if person in both else "mentor"
    for person in mentees:
        person.role = "mentee"
    participants = mentors + mentees

    # Skills ------------------------------------------------------------------------------------
    other_departments = sorted(_NW_SKILLS)
    for person in mentors:
        own = [skill for skill in _NW_SKILLS.get(person.department, ()) if skill != "FP&A"]
        offered = ["FP&A"] if person in fpna_mentors else []
        offered += _sample(rng, own, int(rng.integers(2, 4)) - len(offered)) if own else []
        general_pool = list(_GENERAL_SKILLS)
        if person.level >= 6:
            offered += [skill for skill in ("Leadership", "Strategic thinking") if skill not in offered]
        offered += _sample(rng, [skill for skill in general_pool if skill not in offered], int(rng.integers(1, 3)))
        if _chance(rng, 0.15):
            elsewhere = _pick(rng, [d for d in other_departments if d != person.department])
            offered += _sample(rng, [skill for skill in _NW_SKILLS[elsewhere] if skill != "FP&A"], 1)
        person.skills_offered = list(dict.fromkeys(offered))
        person.capacity = 1 if person.role == "both" else int(_pick(rng, (1, 2, 3), (0.07, 0.33, 0.60)))
        person.goals = _weighted_themes(rng, {theme: 1.0 for theme in THEMES}, int(rng.integers(2, 5)))
    for person, capacity in zip(fpna_mentors, (2, 2, 2, 2, 1)):
        person.capacity = capacity

    finance_mentees = [person for person in mentees if person.department == "Finance" and person.level <= 3]
    fpna_seekers = _sample(rng, finance_mentees, 14, [2.0 if p.team == "FP&A" else 1.0 for p in finance_mentees])
    others = [person for person in mentees if person.team in ("Sales Operations", "Procurement")]
    fpna_seekers += _sample(rng, others, 2)
    theme_weights = {"Skill development": 30, "Knowledge of the organisation": 8, "Career progression": 25,
                     "Leadership": 10, "Networking and visibility": 10, "Confidence": 12, "Work-life balance": 5}
    for person in mentees + both:
        own = [skill for skill in _NW_SKILLS.get(person.department, ()) if skill != "FP&A"]
        sought = ["FP&A"] if person in fpna_seekers else []
        for _ in range(int(rng.integers(1, 4)) - len(sought)):
            draw = rng.random()
            if draw < 0.55 and own:
                pool = own
            elif draw < 0.9:
                pool = list(_GENERAL_SKILLS)
            else:
                pool = [skill for skill in _NW_SKILLS[_pick(rng, other_departments)] if skill != "FP&A"]
            options = [skill for skill in pool if skill not in sought]
            if options:
                sought.append(_pick(rng, options))
        person.skills_sought = sought or [_pick(rng, _GENERAL_SKILLS)]
        weights = dict(theme_weights)
        if person.level >= 3:
            weights["Leadership"] = 22
        if person in both:
            continue  # people who are both keep the goals they can support as mentors
        person.goals = _weighted_themes(rng, weights, int(_pick(rng, (1, 2, 3), (0.3, 0.45, 0.25))))

    # Everything else on the form ---------------------------------------------------------------
    late = set(person.person_id for person in _sample(rng, mentees, round(0.06 * len(mentees))))
    for person in participants:
        person.meeting_mode = _pick(rng, _MODES, _NW_MEETING_MODES[person.site.name])
        style = rng.random()
        if style < 0.7:
            person.availability = _time_windows(rng, int(rng.integers(1, 4)))
        elif style < 0.95:
            person.availability = _half_days(rng, int(rng.integers(2, 5)))
        late_joiner = person.person_id in late
        person.cohort = "2026B" if late_joiner else "2026A"
        person.start_date = dt.date(2026, 3, 16) if late_joiner else spec.start
        _disclose(rng, person, gender_blank=0.07, age_blank=0.06)

    eligible, score = _northwind_rules(org)
    mentor_side = [person for person in participants if person.role in ("mentor", "both")]
    # About one mentee in seven ranks two or three mentors (the well-known ones are popular).
    rankers = _sample(rng, mentees, round(0.15 * len(mentees)), [math.exp(0.6 * p.engagement) for p in mentees])
    for person in rankers:
        options = [mentor for mentor in mentor_side if mentor.person_id != person.person_id and eligible(person, mentor)]
        ranked = sorted(options, key=lambda mentor: (-(score(person, mentor) + 0.6 * mentor.level
                                                        + float(rng.normal(0, 1.2))), mentor.person_id))
        person.preferences = [mentor.person_id for mentor in ranked[:int(rng.integers(2, 4))]]
    # A few "do not match with" entries: usually a former manager in the same department.
    for person in _sample(rng, [p for p in mentees if not p.preferences], 6):
        options = [mentor for mentor in mentor_side if mentor.department == person.department
                   and mentor.level >= 4 and not org.in_reporting_line(person.person_id, mentor.person_id)]
        if options:
            person.exclusions = [_pick(rng, options).person_id]
    for person in _sample(rng, [p for p in mentors if p.role == "mentor"], 2):
        options = [mentee for mentee in mentees if mentee.department == person.department
                   and person.person_id not in mentee.preferences]
        if options:
            person.exclusions = [_pick(rng, options).person_id]
    return sorted((person.person_id for person in participants), key=lambda person_id: person_id)


def _person_quality(data: _ClientData, pairs: list[_Pair]) -> None:
    """Each participant's average relationship quality (drives leaving, survey answers)."""
    collected: dict[str, list[float]] = {}
    for pair in pairs:
        collected.setdefault(pair.mentee_id, []).append(pair.quality)
        collected.setdefault(pair.mentor_id, []).append(pair.quality)
    data.person_quality = {person_id: float(np.mean(values)) for person_id, values in sorted(collected.items())}


def _run_one_to_one(data: _ClientData, matches: list[tuple[str, str]], eligible: _Eligible, score: _Score,
                    hr_rates: _HrRates, matched_on: Callable[[Person], dt.date],
                    goal_templates: Callable[[Person], dict[str, tuple[str, ...]]]) -> None:
    """The programme as it ran, for one-to-one programmes (formal, reverse), from the toolkit's match.

    ``matches`` are the (mentee, mentor) pairs of the first round; ``eligible`` and ``score`` are the
    programme team's own rules for the re-matches made later, when a pair ended early.
    """
    slug, people = data.spec.slug, data.people
    rng = _rng(slug, "programme")
    pairs = _pair_fates(data, matches, rng, matched_on)
    _person_quality(data, pairs)
    roles = {pid: people[pid].role or "" for pid in data.participant_ids}
    _hr_events(data, hr_rates, _rng(slug, "hr"), roles)
    pairs = _apply_leavers_and_rematch(data, pairs, eligible, score, rng)
    _settle_statuses(data, pairs, rng)
    data.pairs = sorted(pairs, key=lambda pair: (pair.matched_on, pair.mentee_id, pair.mentor_id))
    _person_quality(data, data.pairs)
    _simulate_pair_meetings(data, data.pairs, _rng(slug, "meetings"))
    _pair_checkins(data, _rng(slug, "goals"), goal_templates)
    _simulate_surveys(data)


def _northwind_roster() -> _ClientData:
    spec = _SPECS["northwind"]
    org = _northwind_org()
    participant_ids = _northwind_signups(org)
    # The comparison group: everyone else below the executive team.
    comparison = [pid for pid in sorted(org.people) if org.people[pid].role is None and org.people[pid].level <= 5]
    return _ClientData(spec, org, participant_ids, comparison)


def _northwind_programme(data: _ClientData, first_round: _FirstRound) -> None:
    spec = data.spec
    eligible, score = _northwind_rules(data.org)
    _run_one_to_one(
        data, first_round.pairs, eligible, score,
        _HrRates(leave=(("mentee", 0.085), ("mentor", 0.05), ("both", 0.0), ("comparison", 0.14)),
                 promote=(("mentee", 0.13), ("mentor", 0.06), ("both", 0.25), ("comparison", 0.085))),
        matched_on=lambda person: spec.matching_day if person.cohort == "2026A" else dt.date(2026, 3, 12),
        goal_templates=lambda person: _GOAL_TEMPLATES,
    )


# ---------------------------------------------------------------------------------------------
# Riverbank Building Society: reverse mentoring, Microsoft Forms
# ---------------------------------------------------------------------------------------------

_RB_SITES = {
    "York": _Site("York", "Europe/London", "UK", 53.9600, -1.0873, (
        ("british", 72), ("south_asian_uk", 10), ("polish", 7), ("west_african", 4), ("chinese", 3), ("indian", 4))),
    "Leeds": _Site("Leeds", "Europe/London", "UK", 53.8008, -1.5491, (
        ("british", 64), ("south_asian_uk", 16), ("polish", 8), ("west_african", 5), ("chinese", 3), ("indian", 4))),
}
# Executive, their office, and the teams under them: (department, team, staff job title, ((office, headcount),)).
_RB_EXECUTIVES = (
    ("Chief Customer Officer", "York", (
        ("Branch Network", "York Branches", "Branch Adviser", (("York", 24),)),
        ("Branch Network", "Leeds Branches", "Branch Adviser", (("Leeds", 26),)),
        ("Member Services", "Contact Centre", "Member Services Adviser", (("Leeds", 34),)),
        ("Member Services", "Complaints", "Complaints Handler", (("Leeds", 8),)),
        ("Marketing", "Marketing and Communications", "Marketing Executive", (("York", 9),)),
    )),
    ("Chief Commercial Officer", "York", (
        ("Mortgages", "Underwriting", "Mortgage Underwriter", (("York", 14),)),
        ("Mortgages", "Mortgage Advice", "Mortgage Adviser", (("Leeds", 16),)),
        ("Mortgages", "Mortgage Operations", "Mortgage Administrator", (("York", 12),)),
        ("Savings", "Savings Products", "Savings Product Analyst", (("York", 8),)),
        ("Savings", "Savings Operations", "Savings Administrator", (("Leeds", 12),)),
    )),
    ("Chief Risk Officer", "York", (
        ("Risk and Compliance", "Compliance", "Compliance Analyst", (("York", 8),)),
        ("Risk and Compliance", "Credit Risk", "Credit Risk Analyst", (("York", 6),)),
        ("Risk and Compliance", "Financial Crime", "Financial Crime Analyst", (("Leeds", 8),)),
    )),
    ("Chief Technology Officer", "Leeds", (
        ("Technology", "Digital Channels", "Digital Developer", (("York", 10),)),
        ("Technology", "IT Operations", "IT Support Analyst", (("Leeds", 10),)),
        ("Technology", "Data", "Data Analyst", (("York", 6),)),
    )),
    ("Chief Financial Officer", "York", (
        ("Finance", "Financial Reporting", "Finance Analyst", (("York", 10),)),
        ("Finance", "Treasury", "Treasury Analyst", (("York", 4),)),
    )),
    ("Chief People Officer", "York", (
        ("People", "HR", "HR Adviser", (("York", 7),)),
        ("People", "Learning", "Learning Coordinator", (("York", 4),)),
    )),
)
_RB_MEETING_MODES = (0.35, 0.2, 0.3, 0.15)


def _riverbank_org() -> _Org:
    spec = _SPECS["riverbank"]
    org = _Org("riverbank", _NameBook(spec.domain), _id_maker(_rng("riverbank", "ids"), "RB", 1000, 10000, 800))
    rng = org.rng
    ceo = org.add(department="Executive Office", team="Executive Committee", site=_RB_SITES["York"], level=8,
                  title="Chief Executive", manager_id=None)
    for title, office, teams in _RB_EXECUTIVES:
        executive = org.add(department=teams[0][0], team="Executive Committee", site=_RB_SITES[office], level=7,
                            title=title, manager_id=ceo.person_id)
        for department, team, noun, offices in teams:
            main_office = offices[0][0]
            head = org.add(department=department, team=team, site=_RB_SITES[main_office], level=6,
                           title=f"Head of {team}", manager_id=executive.person_id)
            for office, headcount in offices:
                above = head
                if headcount > 24:
                    # Big front-line teams have a senior manager between the head and the team leaders.
                    above = org.add(department=department, team=team, site=_RB_SITES[office], level=5,
                                    title=f"Senior {team} Manager", manager_id=head.person_id)
                manager_count = max(1, round(headcount / 8))
                manager_title = f"{team} Team Leader" if headcount > 24 else f"{team} Manager"
                for index in range(manager_count):
                    manager = org.add(department=department, team=team, site=_RB_SITES[office], level=4,
                                      title=manager_title, manager_id=above.person_id)
                    share = headcount // manager_count + (1 if index < headcount % manager_count else 0)
                    for _ in range(share):
                        level = _staff_level(rng, (0.45, 0.35, 0.2))
                        org.add(department=department, team=team, site=_RB_SITES[office], level=level,
                                title=_staff_title(rng, noun, level, apprentices=True), manager_id=manager.person_id)
    # A building society's front line is young: juniors are mostly in their twenties.
    for person in org.people.values():
        if person.level <= 2:
            person.age = min(person.age, int(19 + rng.integers(0, 12)))
    return org


def _riverbank_rules(org: _Org) -> tuple[_Eligible, _Score]:
    def eligible(mentee: Person, mentor: Person) -> bool:
        return (mentee.level - mentor.level >= 2 and mentor.department != mentee.department
                and mentor.team != mentee.team and not org.in_reporting_line(mentee.person_id, mentor.person_id)
                and mentor.person_id not in mentee.exclusions and mentee.person_id not in mentor.exclusions
                and bool(set(mentee.languages) & set(mentor.languages)))

    def score(mentee: Person, mentor: Person) -> float:
        skills = len(set(mentee.skills_sought) & set(mentor.skills_offered))
        return 6 * skills + 0.5 * (mentee.site.name != mentor.site.name) + _stable_noise(
            "riverbank", mentee.person_id, mentor.person_id, scale=1.5)

    return eligible, score


def _riverbank_signups(org: _Org) -> list[str]:
    rng = _rng("riverbank", "signup")
    people = list(org.people.values())
    leaders = [person for person in people if person.level in (6, 7)]
    # Every executive and all but one head of team signed up; the chief executive sponsors the pilot.
    heads = [person for person in leaders if person.level == 6]
    mentees = [person for person in leaders if person.level == 7] + _sample(
        rng, heads, len(heads) - 1, [math.exp(0.5 * person.engagement) for person in heads])
    digital_departments = {"Technology": 1.6, "Marketing": 1.6, "Member Services": 1.2, "Branch Network": 1.1}
    juniors = [person for person in people if person.level <= 2]
    mentors = _sample(rng, juniors, 25, [digital_departments.get(p.department, 1.0) * math.exp(0.7 * p.engagement)
                                         for p in juniors])
    for person in mentors:
        person.role = "mentor"
        person.capacity = 1
        offered = ["New generations' perspectives"] if _chance(rng, 0.8) else []
        offered += _sample(rng, [skill for skill in _RB_SKILLS if skill not in offered], int(rng.integers(3, 6)))
        person.skills_offered = sorted(offered, key=_RB_SKILLS.index)
        person.goals = _weighted_themes(rng, {"Networking and visibility": 3, "Confidence": 3, "Career progression": 2,
                                              "Knowledge of the organisation": 2}, int(rng.integers(1, 4)))
    for person in _sample(rng, mentors, 4):
        person.capacity = 2
    for person in mentees:
        person.role = "mentee"
        sought = ["New generations' perspectives"] if _chance(rng, 0.5) else []
        sought += _sample(rng, [skill for skill in _RB_SKILLS[:9] if skill not in sought], int(rng.integers(2, 4)))
        person.skills_sought = sorted(sought, key=_RB_SKILLS.index)
        person.goals = ["Skill development"] + _sample(
            rng, ["Knowledge of the organisation", "Leadership", "Networking and visibility"], int(rng.integers(0, 3)))
        person.goals = sorted(person.goals, key=THEMES.index)
    participants = mentors + mentees
    opens = dt.datetime(2026, 2, 23, 8, 0)
    for person in participants:
        person.meeting_mode = _pick(rng, _MODES, _RB_MEETING_MODES)
        person.availability = _half_days(rng, int(rng.integers(2, 5)))
        person.start_date = _SPECS["riverbank"].start
        person.cohort = "Pilot 2026"
        person.signed_up = opens + dt.timedelta(days=int(rng.integers(0, 18)), minutes=int(rng.integers(0, 600)))
        _disclose(rng, person, gender_blank=0.06, age_blank=0.08, not_said="Prefer not to say")
    # One leader asked not to be paired with a junior relative's close colleague; one mentor with a former boss.
    leader = _pick(rng, mentees)
    leader.exclusions = [_pick(rng, [m for m in mentors if m.department != leader.department]).person_id]
    mentor = _pick(rng, [m for m in mentors if not m.exclusions])
    mentor.exclusions = [_pick(rng, [m for m in mentees if m is not leader]).person_id]
    return [person.person_id for person in sorted(participants, key=lambda p: (p.signed_up, p.person_id))]


def _riverbank_roster() -> _ClientData:
    spec = _SPECS["riverbank"]
    org = _riverbank_org()
    participant_ids = _riverbank_signups(org)
    rng = _rng("riverbank", "comparison")
    others = [pid for pid in sorted(org.people) if org.people[pid].role is None and org.people[pid].level <= 6]
    weights = [3.0 if org.people[pid].level <= 2 else (1.0 if org.people[pid].level == 3 else 0.6) for pid in others]
    comparison = sorted(_sample(rng, others, 150, weights))
    return _ClientData(spec, org, participant_ids, comparison)


def _riverbank_programme(data: _ClientData, first_round: _FirstRound) -> None:
    spec = data.spec
    eligible, score = _riverbank_rules(data.org)
    _run_one_to_one(
        data, first_round.pairs, eligible, score,
        _HrRates(leave=(("mentor", 0.08), ("mentee", 0.04), ("comparison", 0.16)),
                 promote=(("mentor", 0.2), ("mentee", 0.04), ("comparison", 0.09))),
        matched_on=lambda person: spec.matching_day,
        goal_templates=lambda person: _RB_GOAL_TEMPLATES,
    )


# ---------------------------------------------------------------------------------------------
# Lumen Labs: remote-first start-up, peer circles, Google Forms
# ---------------------------------------------------------------------------------------------

_LUMEN_SITES = {
    "Los Angeles": _Site("Los Angeles", "America/Los_Angeles", "Americas", 34.0522, -118.2437, (
        ("american", 40), ("hispanic", 25), ("korean", 10), ("vietnamese", 8), ("filipino", 7), ("japanese", 5),
        ("chinese", 5))),
    "New York": _Site("New York", "America/New_York", "Americas", 40.7128, -74.0060, (
        ("american", 40), ("hispanic", 15), ("west_african", 10), ("indian", 10), ("chinese", 10), ("korean", 5),
        ("british", 5), ("arabic", 5))),
    "Berlin": _Site("Berlin", "Europe/Berlin", "Europe", 52.5200, 13.4050, (
        ("german", 45), ("turkish", 12), ("polish", 12), ("french", 8), ("nordic", 8), ("british", 5), ("arabic", 5),
        ("indian", 5))),
    "Lisbon": _Site("Lisbon", "Europe/Lisbon", "Europe", 38.7223, -9.1393, (
        ("portuguese", 55), ("brazilian", 20), ("french", 8), ("british", 7), ("hispanic", 5), ("german", 5))),
    "Bengaluru": _Site("Bengaluru", "Asia/Kolkata", "India", 12.9716, 77.5946, (("indian", 75), ("tamil", 25))),
}
# key, department, team, city, level, job title, manager's key
_LUMEN_LEADS = (
    ("ceo", "Leadership", "Leadership", "Lisbon", 8, "Chief Executive Officer and Co-founder", None),
    ("cto", "Engineering", "Engineering Leadership", "Berlin", 7, "Chief Technology Officer and Co-founder", "ceo"),
    ("platform", "Engineering", "Platform", "Berlin", 5, "Engineering Manager, Platform", "cto"),
    ("applications", "Engineering", "Applications", "New York", 4, "Engineering Manager, Applications", "cto"),
    ("ml", "Engineering", "Machine Learning", "Bengaluru", 4, "Machine Learning Lead", "cto"),
    ("product", "Product", "Product Leadership", "New York", 6, "Head of Product", "ceo"),
    ("gpm", "Product", "Product", "Lisbon", 5, "Group Product Manager", "product"),
    ("design", "Design", "Design Leadership", "Lisbon", 6, "Head of Design", "ceo"),
    ("design_lead", "Design", "Product Design", "Los Angeles", 4, "Design Lead", "design"),
    ("gtm", "Go-to-market", "Go-to-market Leadership", "New York", 6, "Head of Go-to-market", "ceo"),
    ("sales", "Go-to-market", "Sales", "Los Angeles", 4, "Sales Manager", "gtm"),
    ("marketing", "Go-to-market", "Marketing", "Berlin", 4, "Marketing Manager", "gtm"),
    ("success", "Go-to-market", "Customer Success", "Lisbon", 4, "Customer Success Lead", "gtm"),
    ("operations", "Operations", "Operations", "Lisbon", 6, "Head of Operations", "ceo"),
    ("people", "Operations", "People", "Berlin", 4, "People Lead", "operations"),
)
_LUMEN_FACILITATORS = ("gpm", "cto", "product", "design", "gtm", "operations", "platform", "sales", "ml")
# manager's key, staff job title, ((city, headcount), ...)
_LUMEN_STAFF = (
    ("platform", "Platform Engineer", (("Berlin", 6), ("Lisbon", 2), ("Bengaluru", 2))),
    ("applications", "Software Engineer", (("New York", 4), ("Los Angeles", 2), ("Lisbon", 3))),
    ("ml", "Machine Learning Engineer", (("Bengaluru", 7), ("Berlin", 1))),
    ("gpm", "Product Manager", (("Lisbon", 2), ("New York", 2), ("Berlin", 1))),
    ("design_lead", "Product Designer", (("Los Angeles", 2), ("Lisbon", 2), ("New York", 1))),
    ("sales", "Account Executive", (("Los Angeles", 3), ("New York", 3))),
    ("marketing", "Marketing Specialist", (("Berlin", 2), ("Lisbon", 2))),
    ("success", "Customer Success Manager", (("Lisbon", 3), ("Bengaluru", 2), ("New York", 1))),
    ("people", "People Partner", (("Berlin", 1), ("Lisbon", 1))),
    ("operations", "Finance and Operations Associate", (("Lisbon", 2),)),
)
_LUMEN_LEVEL_WORDS = {1: "Junior", 2: "Associate", 3: "Senior", 4: "Manager", 5: "Senior Manager", 6: "Director",
                      7: "VP", 8: "Executive"}
_LUMEN_CLUSTERS = {"Americas": ("Los Angeles", "New York"), "Europe and India": ("Lisbon", "Berlin", "Bengaluru")}
_LUMEN_NOTES = ("Happy to help with circle logistics.", "I am on parental leave for two weeks in August.",
                "Would love a circle with people outside engineering.", "Keen!",
                "Mornings are hard for me because of school runs.", "First time doing anything like this.")


def _lumen_org() -> tuple[_Org, dict[str, Person]]:
    org = _Org("lumen", _NameBook(_SPECS["lumen"].domain, first_name_emails=True), None)
    rng = org.rng
    leads: dict[str, Person] = {}
    for key, department, team, city, level, title, manager_key in _LUMEN_LEADS:
        leads[key] = org.add(department=department, team=team, site=_LUMEN_SITES[city], level=level, title=title,
                             manager_id=leads[manager_key].person_id if manager_key else None,
                             gender_shares=(0.47, 0.49, 0.04))
    for manager_key, noun, cities in _LUMEN_STAFF:
        manager = leads[manager_key]
        for city, headcount in cities:
            for _ in range(headcount):
                level = _staff_level(rng, (0.25, 0.4, 0.35))
                org.add(department=manager.department, team=manager.team, site=_LUMEN_SITES[city], level=level,
                        title=_staff_title(rng, noun, level), manager_id=manager.person_id,
                        gender_shares=(0.47, 0.49, 0.04))
    for person in org.people.values():
        person.tenure_years = min(person.tenure_years, 6.0)  # the company is six years old
    return org, leads


def _lumen_signups(org: _Org, leads: dict[str, Person]) -> list[str]:
    rng = _rng("lumen", "signup")
    facilitators = [leads[key] for key in _LUMEN_FACILITATORS]
    # The chief executive sponsors the programme rather than joining a circle.
    lead_members = [person for key, person in leads.items() if key not in _LUMEN_FACILITATORS and key != "ceo"]
    staff = [person for person in org.people.values() if person not in leads.values()]
    americas = [person for person in staff if person.site.name in _LUMEN_CLUSTERS["Americas"]]
    elsewhere = [person for person in staff if person not in americas]
    members = lead_members + _sample(rng, americas, 10, [math.exp(0.6 * p.engagement) for p in americas]) + _sample(
        rng, elsewhere, 23, [math.exp(0.6 * p.engagement) for p in elsewhere])
    for person in facilitators:
        person.role, person.can_facilitate, person.capacity = "mentor", True, 1
        person.skills_offered = _sample(rng, _LUMEN_SKILLS, int(rng.integers(3, 6)))
        person.goals = _weighted_themes(rng, {theme: 1.0 for theme in THEMES}, int(rng.integers(2, 4)))
    for person in members:
        person.role = "both"
        person.skills_offered = _sample(rng, _LUMEN_SKILLS, int(rng.integers(1, 4)))
        person.skills_sought = _sample(rng, [s for s in _LUMEN_SKILLS if s not in person.skills_offered],
                                       int(rng.integers(1, 4)))
        person.goals = _weighted_themes(rng, {"Skill development": 3, "Career progression": 3, "Leadership": 2,
                                              "Networking and visibility": 2, "Confidence": 2,
                                              "Knowledge of the organisation": 1, "Work-life balance": 1},
                                        int(_pick(rng, (1, 2, 3), (0.3, 0.45, 0.25))))
    participants = facilitators + members
    opens = dt.datetime(2026, 4, 6, 9, 0)
    for person in participants:
        person.meeting_mode = _pick(rng, _MODES, (0.05, 0.7, 0.05, 0.2))
        person.availability = _half_days(rng, int(rng.integers(2, 6)))
        person.start_date = _SPECS["lumen"].start
        person.cohort = "Circles 2026"
        person.signed_up = opens + dt.timedelta(days=int(rng.integers(0, 12)), minutes=int(rng.integers(0, 540)))
        person.notes = _pick(rng, _LUMEN_NOTES) if _chance(rng, 0.1) else ""
        _disclose(rng, person, gender_blank=0.08, age_blank=0.08, not_said="Prefer not to say")
    for person in _sample(rng, members, 2):
        options = [other for other in members if other is not person and other.team != person.team]
        person.exclusions = [_pick(rng, options).person_id]
    return [person.person_id for person in sorted(participants, key=lambda p: (p.signed_up, p.person_id))]


def _lumen_circles(data: _ClientData, matched: list[tuple[str, str, list[str]]],
                   rng: np.random.Generator) -> list[_Circle]:
    """The toolkit's circles (``matched``: circle id, facilitator, members), each with how well it went."""
    people = data.people
    offsets = {site.timezone: _utc_offset(site.timezone) for site in _LUMEN_SITES.values()}
    circles = [_Circle(circle_id, facilitator_id, sorted(member_ids), 0.0)
               for circle_id, facilitator_id, member_ids in matched]
    for circle in circles:
        circle.quality = round(float(rng.normal(0.35, 0.3)), 3)
    # One circle never found a rhythm across its time zones and stopped after two meetings.
    quiet = max(circles, key=lambda circle: (max(offsets[people[pid].timezone] for pid in circle.everyone)
                                             - min(offsets[people[pid].timezone] for pid in circle.everyone),
                                             circle.circle_id))
    quiet.quality = -0.9
    return circles


def _lumen_meetings(data: _ClientData, rng: np.random.Generator) -> None:
    spec, people = data.spec, data.people
    for circle in data.circles:
        day = _workday(spec.start + dt.timedelta(days=int(rng.integers(3, 12))))
        held = 0
        while day <= spec.last_record_day:
            if circle.quality < -0.5 and held == 2:
                circle.inactive_from = day
                break
            attendance = {}
            for pid in circle.everyone:
                person = people[pid]
                if not person.employed_on(day):
                    continue
                chance = 0.95 if pid == circle.facilitator_id else _sigmoid(
                    1.7 + 0.6 * person.engagement + 0.8 * data.person_quality.get(pid, 0.0))
                attendance[pid] = _chance(rng, chance)
            attended = [pid for pid in circle.everyone if attendance.get(pid)]
            logger = circle.facilitator_id if _chance(rng, 0.85) or len(attended) < 2 else _pick(rng, attended[1:])
            minutes = int(_pick(rng, (60, 75, 90), (0.15, 0.15, 0.7)))
            circle.meetings.append(("", day, minutes, logger, attendance))
            held += 1
            day = _workday(day + dt.timedelta(days=max(21, int(round(rng.normal(28, 4))))))
    ordered = sorted(((meeting[1], circle.circle_id, index) for circle in data.circles
                      for index, meeting in enumerate(circle.meetings)))
    by_id = {circle.circle_id: circle for circle in data.circles}
    for number, (_, circle_id, index) in enumerate(ordered, start=1):
        meeting = by_id[circle_id].meetings[index]
        by_id[circle_id].meetings[index] = (f"LM{number:03d}", *meeting[1:])


def _lumen_roster() -> _ClientData:
    spec = _SPECS["lumen"]
    org, leads = _lumen_org()
    participant_ids = _lumen_signups(org, leads)
    comparison = [pid for pid in sorted(org.people) if org.people[pid].role is None]
    return _ClientData(spec, org, participant_ids, comparison)


def _lumen_programme(data: _ClientData, first_round: _FirstRound) -> None:
    spec, org, participant_ids = data.spec, data.org, data.participant_ids
    rng = _rng("lumen", "programme")
    data.circles = _lumen_circles(data, first_round.circles, rng)
    data.person_quality = {}
    for circle in data.circles:
        for pid in circle.everyone:
            data.person_quality[pid] = round(circle.quality + float(rng.normal(0, 0.3)), 3)
    roles = {pid: org.people[pid].role or "" for pid in participant_ids}
    _hr_events(data, _HrRates(leave=(("both", 0.07), ("mentor", 0.0), ("comparison", 0.17)),
                              promote=(("both", 0.12), ("mentor", 0.0), ("comparison", 0.08))),
               _rng("lumen", "hr"), roles)
    _lumen_meetings(data, _rng("lumen", "meetings"))
    goal_rng = _rng("lumen", "goals")
    for circle in data.circles:
        for member_id in circle.member_ids:
            member = data.people[member_id]
            goals = _goal_texts(data, member, goal_rng, _GOAL_TEMPLATES, member.goals)
            first = circle.meetings[0][1] if circle.meetings else spec.start

            def relationship(day: dt.date, circle=circle, first=first):
                fate = "inactive_now" if circle.inactive_from is not None and day >= circle.inactive_from else "active"
                return circle.circle_id, fate, first, data.person_quality[member_id]

            data.checkins += _checkin_rows(data, member, relationship, goals, goal_rng)
    _simulate_surveys(data)


# ---------------------------------------------------------------------------------------------
# Writing a client folder: the files a consultant receives, in each client's own format
# ---------------------------------------------------------------------------------------------

_ROLE_WORDS = {"mentor": "Mentor", "mentee": "Mentee", "both": "Both"}
#: slug -> (who signed up, and the organisation around them; the programme as it ran, from the first round)
_BUILDERS: dict[str, tuple[Callable[[], _ClientData], Callable[[_ClientData, _FirstRound], None]]] = {
    "northwind": (_northwind_roster, _northwind_programme), "riverbank": (_riverbank_roster, _riverbank_programme),
    "lumen": (_lumen_roster, _lumen_programme),
}
#: Riverbank's grade names; the client.yaml mapping translates the one the toolkit cannot read alone.
_RB_GRADES = {1: "Grade 1", 2: "Grade 2", 3: "Grade 3", 4: "Grade 4", 5: "Grade 5", 6: "Grade 6",
              7: "Executive Committee", 8: "Chief Executive"}
# How Lumen's people typed their time zone into a free-text box.
_LUMEN_ZONE_WORDS = {
    "America/Los_Angeles": ("America/Los_Angeles", "Pacific", "PT", "Los Angeles", "PST"),
    "America/New_York": ("America/New_York", "Eastern", "EST", "New York", "ET"),
    "Europe/Berlin": ("Europe/Berlin", "CET", "Berlin", "Europe/Berlin"),
    "Europe/Lisbon": ("Europe/Lisbon", "Lisbon", "WET", "Europe/Lisbon"),
    "Asia/Kolkata": ("Asia/Kolkata", "IST", "Bengaluru", "India"),
}


def _join(items: Sequence[str], separator: str = "; ") -> str:
    return separator.join(items)


def _messy_role(rng: np.random.Generator, role: str) -> str:
    """Role answers as people type them: mostly tidy, sometimes lower case or with a stray space."""
    word = _ROLE_WORDS[role]
    draw = rng.random()
    if draw < 0.06:
        return word.lower()
    if draw < 0.1:
        return word + " "
    return word


def _hr_date(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def _write_participants_northwind(data: _ClientData, folder: Path) -> str:
    """An HRIS extract joined with the sign-up form (UTF-8 with BOM, as Excel saves "CSV UTF-8")."""
    rng = _rng("northwind", "write/participants")
    header = ["Employee ID", "Full Name", "Work Email", "Department", "Team", "Office", "Time Zone",
              "Line Manager ID", "Job Title", "Job Level", "Years of Service", "Programme Role",
              "Skills I Can Offer", "Skills I Want to Develop", "Development Goals", "Languages",
              "Meeting Preference", "Max Mentees", "Availability (local time)", "Preferred Mentors",
              "Do Not Match With", "Cohort", "Programme Start Date", "Gender", "Age Band", "Consent"]
    rows = [header]
    for person in data.participants():
        mentors_too = person.role in ("mentor", "both")
        rows.append([
            person.person_id, person.name, person.email, person.department, person.team, person.site.name,
            person.timezone, person.manager_id or "", person.title, f"L{person.level}", f"{person.tenure_years:.1f}",
            _messy_role(rng, person.role or "mentee"), _join(person.skills_offered),
            _join(person.skills_sought), _join(person.goals), _join(person.languages), person.meeting_mode,
            person.capacity if mentors_too else "", _join(person.availability), _join(person.preferences),
            _join(person.exclusions), person.cohort, _hr_date(person.start_date), person.disclosed_gender,
            person.age_band, _pick(rng, ("Yes", "Yes", "Yes", "Y", "yes")),
        ])
    _write_csv(folder / "participants.csv", rows, bom=True)
    return "participants.csv"


def _write_participants_riverbank(data: _ClientData, folder: Path) -> str:
    """A Microsoft Forms sign-up export (.xlsx): form columns first, multi-selects end with ';'."""
    rng = _rng("riverbank", "write/participants")
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", "Employee number",
              "Which department are you in?", "Team", "Job title", "Which office are you based in?", "Your grade",
              "I would like to join as", "Skills I can share", "Skills I want to learn",
              "What would you like to focus on?", "Languages you speak", "How would you prefer to meet?",
              "How many mentees could you support?", "Availability", "Is there anyone you should not be matched with?",
              "Gender", "Age range", "I agree to my answers being used to match me"]
    role_words = {"mentor": "Reverse mentor (I will share my digital know-how)",
                  "mentee": "Reverse mentee (senior leader)"}
    rows = []
    for number, person_id in enumerate(data.participant_ids, start=1):
        person = data.people[person_id]
        finished = person.signed_up or dt.datetime(2026, 3, 1, 9, 0)
        started = finished - dt.timedelta(seconds=int(rng.integers(150, 900)))
        exclusions = [data.people[other].email for other in person.exclusions]
        rows.append([
            number, started, finished, person.email, person.name, "", person.person_id, person.department,
            person.team, person.title, person.site.name, _RB_GRADES[person.level], role_words[person.role or "mentee"],
            "".join(f"{skill};" for skill in person.skills_offered),
            "".join(f"{skill};" for skill in person.skills_sought),
            "".join(f"{goal};" for goal in person.goals), "".join(f"{language};" for language in person.languages),
            person.meeting_mode, person.capacity if person.role == "mentor" else "",
            "".join(f"{slot};" for slot in person.availability), "; ".join(exclusions),
            person.disclosed_gender, person.age_band, "I agree",
        ])
    _write_xlsx(folder / "participants.xlsx", header, rows, sheet="Form1")
    return "participants.xlsx"


def _write_participants_lumen(data: _ClientData, folder: Path) -> str:
    """A Google Forms export: Timestamp first, multi-selects joined with ', '."""
    rng = _rng("lumen", "write/participants")
    header = ["Timestamp", "Email address", "Full name", "Department", "Team", "Where are you based?", "Time zone",
              "Manager's email", "Job title", "Level", "I want to join as", "Would you facilitate a circle?",
              "Skills I can share", "Skills I want to develop", "What would you like to focus on?",
              "Languages you speak", "How would you prefer to meet?", "Availability (your local time)",
              "Anyone you would rather not be matched with?", "Gender", "Age range", "Anything else we should know?",
              "I consent to my answers being used to form circles"]
    rows = [header]
    for person_id in data.participant_ids:
        person = data.people[person_id]
        manager = data.people[person.manager_id].email if person.manager_id else ""
        stamp = person.signed_up or dt.datetime(2026, 4, 6, 9, 0)
        rows.append([
            f"{stamp.month}/{stamp.day}/{stamp.year} {stamp:%H:%M:%S}", person.email, person.name, person.department,
            person.team, person.site.name, _pick(rng, _LUMEN_ZONE_WORDS[person.timezone]), manager, person.title,
            _LUMEN_LEVEL_WORDS[person.level],
            "Facilitator" if person.role == "mentor" else "Circle member (peer)",
            "Yes" if person.can_facilitate else _pick(rng, ("No", "Maybe later", "No")),
            _join(person.skills_offered, ", "), _join(person.skills_sought, ", "), _join(person.goals, ", "),
            _join(person.languages, ", "), person.meeting_mode, _join(person.availability, ", "),
            _join([data.people[other].email for other in person.exclusions], ", "), person.disclosed_gender,
            person.age_band, person.notes, "Yes",
        ])
    _write_csv(folder / "participants.csv", rows)
    return "participants.csv"


def _write_org_chart(data: _ClientData, folder: Path) -> str:
    """The whole organisation as the HR system exports it (people known by email at Lumen)."""
    by_email = data.org.new_id is None
    header = (["Email", "Name", "Manager Email"] if by_email else ["Employee ID", "Name", "Manager ID"]) + [
        "Department", "Team", "Office", "Job Level", "Job Title"]
    rows = [header]
    for person in sorted(data.people.values(), key=lambda person: person.person_id):
        rows.append([person.person_id, person.name, person.manager_id or "", person.department, person.team,
                     person.site.name, person.level, person.title])
    _write_csv(folder / "org_chart.csv", rows)
    return "org_chart.csv"


def _write_pairs(data: _ClientData, folder: Path) -> str:
    prefix = {"northwind": "NW", "riverbank": "RB"}[data.spec.slug]
    rows = [["Pair ID", "Mentee ID", "Mentor ID", "Matched On", "First Meeting", "Status", "Ended On", "End Reason"]]
    for number, pair in enumerate(data.pairs, start=1):
        rows.append([f"{prefix}-P{number:03d}", pair.mentee_id, pair.mentor_id, pair.matched_on.isoformat(),
                     pair.first_meeting.isoformat() if pair.meetings else "", pair.status, _hr_date(pair.ended_on),
                     pair.end_reason])
    _write_csv(folder / "pairs.csv", rows)
    return "pairs.csv"


def _write_choices(data: _ClientData, folder: Path) -> str:
    """Northwind's shortlist round: the choices form as the mentees returned it (before the first match).

    Each mentee of the first cohort saw three suggested mentors and ranked them (most by how well
    the mentor fits, some swapping their first two); a few never returned the form (ranks left
    blank) and three mentors declined one mentee each. Its own random stream: nothing else changes.
    """
    rng = _rng(data.spec.slug, "choices")
    people = data.people
    eligible, score = _northwind_rules(data.org)
    mentee_ids = [pid for pid in data.participant_ids if people[pid].role in ("mentee", "both")
                  and people[pid].cohort == "2026A"]
    mentor_ids = [pid for pid in data.participant_ids if people[pid].role in ("mentor", "both")]
    rows = [["Mentee ID", "Mentee", "Option", "Mentor ID", "Mentor", "Role", "Department", "Why this mentor",
             "Your rank", "Mentor rank"]]
    declines = 0
    for mentee_id in mentee_ids:
        mentee = people[mentee_id]
        options = [mentor_id for mentor_id in mentor_ids if mentor_id != mentee_id
                   and eligible(mentee, people[mentor_id])]
        options = sorted(options, key=lambda mentor_id: (-score(mentee, people[mentor_id]), mentor_id))[:3]
        ranks = list(range(1, len(options) + 1))
        if len(ranks) >= 2 and _chance(rng, 0.3):
            ranks[0], ranks[1] = ranks[1], ranks[0]
        returned = not _chance(rng, 0.08)
        for option, (mentor_id, rank) in enumerate(zip(options, ranks), start=1):
            mentor = people[mentor_id]
            shared = [skill for skill in mentee.skills_sought if skill in mentor.skills_offered]
            why = f"{mentor.name} offers {shared[0]}" if shared else f"{mentor.name} works in {mentor.department}"
            answer = ""
            if declines < 3 and rank == 1 and _chance(rng, 0.02):
                answer, declines = "decline", declines + 1
            rows.append([mentee_id, mentee.name, option, mentor_id, mentor.name, mentor.title, mentor.department, why,
                         rank if returned else "", answer])
    _write_csv(folder / "choices.csv", rows, bom=True)
    return "choices.csv"


def _write_circles(data: _ClientData, folder: Path) -> str:
    rows = [["Circle ID", "Participant ID", "Circle Role", "Status"]]
    for circle in data.circles:
        status = "inactive" if circle.inactive_from is not None else "active"
        for person_id in circle.everyone:
            role = "facilitator" if person_id == circle.facilitator_id else "member"
            left = data.people[person_id].left_date
            rows.append([circle.circle_id, person_id, role, "left" if left and left <= EXTRACT_DATE else status])
    _write_csv(folder / "circles.csv", rows)
    return "circles.csv"


def _write_meetings(data: _ClientData, folder: Path) -> str:
    """The meeting log: only meetings someone logged (about one in eight was never logged)."""
    if data.circles:
        rows = [["Meeting ID", "Circle ID", "Date", "Duration Minutes", "Format", "Logged By", "Attended"]]
        for meeting_id, circle_id, day, minutes, logger, attendance in sorted(
                (meeting[0], circle.circle_id, meeting[1], meeting[2], meeting[3], meeting[4])
                for circle in data.circles for meeting in circle.meetings):
            attended = [person_id for person_id in attendance if attendance[person_id]]
            rows.append([meeting_id, circle_id, day.isoformat(), minutes, "virtual", logger, "; ".join(attended)])
        _write_csv(folder / "meetings.csv", rows)
        return "meetings.csv"
    prefix = {"northwind": "NW", "riverbank": "RB"}[data.spec.slug]
    logged = []
    for number, pair in enumerate(data.pairs, start=1):
        for day, minutes, mode, logger, was_logged in pair.meetings:
            if was_logged:
                logged.append((day, f"{prefix}-P{number:03d}", pair.mentee_id, pair.mentor_id, minutes, mode, logger))
    logged.sort()
    rows = [["Meeting ID", "Pair ID", "Mentee ID", "Mentor ID", "Date", "Duration Minutes", "Format", "Logged By"]]
    for index, (day, pair_id, mentee_id, mentor_id, minutes, mode, logger) in enumerate(logged, start=1):
        rows.append([f"{prefix}-M{index:05d}", pair_id, mentee_id, mentor_id, day.isoformat(), minutes, mode, logger])
    _write_csv(folder / "meetings.csv", rows)
    return "meetings.csv"


def _write_goal_checkins(data: _ClientData, folder: Path) -> str:
    rows = [["Participant ID", "Partner ID", "Goal ID", "Goal", "Theme", "Check-in Date", "Status",
             "Percent Complete", "Note"]]
    rows += sorted(data.checkins, key=lambda row: (str(row[5]), str(row[0]), str(row[2])))
    _write_csv(folder / "goal_checkins.csv", rows)
    return "goal_checkins.csv"


def _write_hr_outcomes(data: _ClientData, folder: Path) -> str:
    """Retention and promotion for participants and the comparison group, as HR extracts them."""
    id_header = "Email" if data.org.new_id is None else "Employee ID"
    rows = [[id_header, "Department", "Office", "Job Level", "Years of Service", "Gender", "Group",
             "Programme Role", "Status", "Leaving Date", "Promotion Date", "Extract Date"]]
    groups = [(person_id, "participant") for person_id in data.participant_ids]
    groups += [(person_id, "comparison") for person_id in data.comparison_ids]
    for person_id, group in sorted(groups):
        person = data.people[person_id]
        left = person.left_date if person.left_date and person.left_date <= EXTRACT_DATE else None
        rows.append([person_id, person.department, person.site.name, person.level, f"{person.tenure_years:.1f}",
                     person.gender, group, person.role or "", "left" if left else "active", _hr_date(left),
                     _hr_date(person.promotion_date), EXTRACT_DATE.isoformat()])
    _write_csv(folder / "hr_outcomes.csv", rows)
    return "hr_outcomes.csv"


# Surveys -------------------------------------------------------------------------------------

_QUALTRICS_SYSTEM = (
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
)


def _survey_items(instrument: dict) -> list[dict]:
    return list(instrument["items"])


def _label_answer(instrument: dict, item: dict, value: object) -> object:
    """An answer as a form tool shows it: the label for labelled numeric scales, else as is."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value
    scale = instrument["scales"].get(item.get("scale", ""), {}) if item.get("scale") else {}
    labels = scale.get("labels") if scale else None
    if labels and scale.get("min") is not None and isinstance(value, int):
        return labels[value - int(scale["min"])]
    return value


def _response_id(slug: str, stem: str, index: int) -> str:
    digest = hashlib.sha256(f"{slug}/{stem}/{index}".encode("utf-8")).hexdigest()
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    number = int(digest, 16)
    text = ""
    for _ in range(15):
        number, remainder = divmod(number, len(alphabet))
        text += alphabet[remainder]
    return "R_" + text


def _write_qualtrics(data: _ClientData, stem: str, instrument: dict, responses: list[_Response], folder: Path) -> str:
    rng = _rng(data.spec.slug, f"write/{stem}")
    items = _survey_items(instrument)
    tags = [tag for tag, _, _ in _QUALTRICS_SYSTEM] + [item["id"] for item in items]
    texts = [text for _, text, _ in _QUALTRICS_SYSTEM] + [item["text"] for item in items]
    imports = [import_id for _, _, import_id in _QUALTRICS_SYSTEM] + [
        json.dumps({"ImportId": f"QID{index + 1}" + ("_TEXT" if item.get("type") == "text" else "")},
                   separators=(",", ":"))
        for index, item in enumerate(items)]
    rows = [tags, texts, imports]
    for index, response in enumerate(responses):
        person = response.person
        ended = response.submitted
        started = ended - dt.timedelta(seconds=response.duration_seconds)
        ip = f"{_pick(rng, ('192.0.2', '198.51.100', '203.0.113'))}.{int(rng.integers(1, 255))}"
        answers = []
        for item in items:
            value = response.answers.get(item["id"])
            answers.append("" if value is None else value.isoformat() if isinstance(value, dt.date) else value)
        rows.append([
            f"{started:%Y-%m-%d %H:%M:%S}", f"{ended:%Y-%m-%d %H:%M:%S}", "IP Address", ip, response.progress,
            response.duration_seconds, "True" if response.finished else "False", f"{ended:%Y-%m-%d %H:%M:%S}",
            _response_id(data.spec.slug, stem, index), person.last, person.first, person.email, person.person_id,
            f"{person.site.latitude + rng.normal(0, 0.05):.4f}", f"{person.site.longitude + rng.normal(0, 0.05):.4f}",
            "email", "EN-GB" if person.site.name == "London" else "EN", *answers,
        ])
    _write_csv(folder / f"{stem}.csv", rows)
    return f"{stem}.csv"


def _write_microsoft_forms_survey(data: _ClientData, stem: str, instrument: dict, responses: list[_Response],
                                  folder: Path) -> str:
    items = _survey_items(instrument)
    header = ["ID", "Start time", "Completion time", "Email", "Name"] + [item["text"] for item in items]
    rows = []
    for index, response in enumerate(responses, start=1):
        ended = response.submitted
        started = ended - dt.timedelta(seconds=response.duration_seconds)
        rows.append([index, started, ended, response.person.email, response.person.name] + [
            _label_answer(instrument, item, response.answers.get(item["id"])) for item in items])
    _write_xlsx(folder / f"{stem}.xlsx", header, rows)
    return f"{stem}.xlsx"


def _write_google_forms_survey(data: _ClientData, stem: str, instrument: dict, responses: list[_Response],
                               folder: Path) -> str:
    items = _survey_items(instrument)
    rows = [["Timestamp", "Email address"] + [item["text"] for item in items]]
    for response in responses:
        stamp = response.submitted
        answers = []
        for item in items:
            value = _label_answer(instrument, item, response.answers.get(item["id"]))
            answers.append(f"{value.month}/{value.day}/{value.year}" if isinstance(value, dt.date) else value)
        rows.append([f"{stamp.month}/{stamp.day}/{stamp.year} {stamp:%H:%M:%S}", response.person.email, *answers])
    _write_csv(folder / f"{stem}.csv", rows)
    return f"{stem}.csv"


_SURVEY_WRITERS = {"qualtrics": _write_qualtrics, "microsoft_forms": _write_microsoft_forms_survey,
                   "google_forms": _write_google_forms_survey}


# client.yaml ---------------------------------------------------------------------------------

_PARTICIPANT_MAPPINGS: dict[str, dict] = {
    # Riverbank's top grade is not a word the toolkit knows; the mapping says what it means.
    "riverbank": {"values": {"seniority": {"Executive Committee": 7, "Chief Executive": 8}}},
}


# The client's grade ladder, most junior first: titles such as Associate, Director and VP rank differently
# by sector, so the toolkit reads them only from the client's own order.
_SENIORITY: dict[str, dict] = {
    "lumen": {"order": [_LUMEN_LEVEL_WORDS[level] for level in sorted(_LUMEN_LEVEL_WORDS)]},
}


# Design choices a consultant made for a client, on top of the programme template.
_OVERRIDES: dict[str, dict] = {
    # Everyone works in York or Leeds, so time zones cannot separate anyone: the form did not ask.
    "riverbank": {"criteria": {"timezone": {"weight": 0}}},
}


def _matching_config(data: _ClientData, files: dict[str, object]) -> dict[str, object]:
    """client.yaml's part that matching reads: the programme, the sign-ups, the org chart, the choices."""
    spec = data.spec
    participants: dict[str, object] = {"path": files["participants"]}
    if spec.slug in _PARTICIPANT_MAPPINGS:
        participants["mapping"] = _PARTICIPANT_MAPPINGS[spec.slug]
    config: dict[str, object] = {
        "client": spec.client,
        "slug": spec.slug,
        "sector": spec.sector,
        "contacts": {"consultant": spec.consultant, "sponsor": spec.sponsor,
                     "programme_coordinator": _COORDINATORS[spec.slug]},
        "programme": {"template": spec.template, "name": spec.programme_name, "start_date": spec.start,
                      "end_date": spec.end, **({"overrides": _OVERRIDES[spec.slug]} if spec.slug in _OVERRIDES else {})},
        "participants": [participants],
        "org_chart": files["org_chart"],
    }
    if spec.slug in _SENIORITY:
        config["seniority"] = _SENIORITY[spec.slug]
    if "choices" in files:
        config["choices"] = files["choices"]
    return config


def _client_yaml(data: _ClientData, files: dict[str, object]) -> str:
    spec = data.spec
    surveys: dict[str, object] = {}
    pulses = []
    for wave in spec.waves:
        entry = {"path": files[wave.stem], "instrument": wave.instrument}
        if wave.key == "pulse":
            pulses.append(entry)
        else:
            surveys[wave.key] = entry
    surveys = {"baseline": surveys["baseline"], "pulses": pulses, "midpoint": surveys["midpoint"],
               "end": surveys["end"], "session_feedback": surveys["session_feedback"]}
    matching = _matching_config(data, files)
    config = {key: value for key, value in matching.items() if key != "choices"}
    if "pairs" in files:
        config["pairs"] = files["pairs"]
    if "choices" in files:
        config["choices"] = files["choices"]
    if "circles" in files:
        config["circles"] = files["circles"]
    config.update({
        "surveys": surveys,
        "meetings": files["meetings"],
        "goal_checkins": files["goal_checkins"],
        "hr_outcomes": files["hr_outcomes"],
        "privacy": {"min_group": 5, "min_comments": 10},
        "fairness_attributes": list(spec.fairness_attributes),
        "roi": {"currency": spec.currency, **{name: value for name, value in spec.roi}},
    })
    heading = (
        f"# {spec.client}: {spec.programme_name}.\n"
        "# Everything here is fictional, generated by `python sample_data/generate.py` (do not edit by hand).\n"
        "# Paths are relative to this file. Validate with: mentoring-toolkit validate --client <this file>\n"
    )
    return heading + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


def generate(slug: str, out: str | Path = "sample_data") -> Path:
    """Write one sample client's folder (``out/<slug>``) and return its ``client.yaml`` path.

    Parameters
    ----------
    slug
        ``northwind``, ``riverbank`` or ``lumen``.
    out
        The folder that holds the client folders.
    """
    if slug not in _BUILDERS:
        raise ValueError(f"unknown sample client {slug!r}; choose from {', '.join(CLIENTS)}")
    roster_of, programme_of = _BUILDERS[slug]
    data = roster_of()
    folder = Path(out) / slug
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    files: dict[str, object] = {}
    files["participants"] = {"northwind": _write_participants_northwind, "riverbank": _write_participants_riverbank,
                             "lumen": _write_participants_lumen}[slug](data, folder)
    files["org_chart"] = _write_org_chart(data, folder)
    if slug == "northwind":
        files["choices"] = _write_choices(data, folder)
    # What the client sent before the programme started, matched with the toolkit; the history
    # (meetings, leavers, re-matches, check-ins, surveys, HR outcomes) is built on that match.
    path = folder / "client.yaml"
    path.write_text(yaml.safe_dump(_matching_config(data, files), sort_keys=False, allow_unicode=True, width=100),
                    encoding="utf-8")
    programme_of(data, _first_round(data, path))
    if data.pairs:
        files["pairs"] = _write_pairs(data, folder)
    if data.circles:
        files["circles"] = _write_circles(data, folder)
    files["meetings"] = _write_meetings(data, folder)
    files["goal_checkins"] = _write_goal_checkins(data, folder)
    files["hr_outcomes"] = _write_hr_outcomes(data, folder)
    writer = _SURVEY_WRITERS[data.spec.survey_tool]
    for wave in data.spec.waves:
        instrument = load_instrument(wave.instrument)
        files[wave.stem] = writer(data, wave.stem, instrument, data.surveys.get(wave.stem, []), folder)
    path.write_text(_client_yaml(data, files), encoding="utf-8")
    return path


def generate_all(out: str | Path = "sample_data") -> list[Path]:
    """Write every sample client; returns their ``client.yaml`` paths."""
    return [generate(slug, out) for slug in CLIENTS]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python sample_data/generate.py",
                                     description="Write the fictional sample clients (deterministic).")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent),
                        help="folder for the client folders (default: the repository's sample_data/)")
    parser.add_argument("clients", nargs="*", choices=[*CLIENTS, []], help="which clients (default: all)")
    arguments = parser.parse_args(argv)
    for slug in arguments.clients or CLIENTS:
        print(generate(slug, arguments.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
