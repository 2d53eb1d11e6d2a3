#!/usr/bin/env python3
"""check.py [TABLE] [INDEX]: checks data/osm/naics-osm.csv.

Shape: the header is naics,osm_key,osm_value,kind; no field is empty; no
row repeats; naics is 6 digits or a 2-5 digit prefix; kind is a short
English phrase, lowercase but for acronyms (at most 5 words, like the kinds
src/industry reads); the table has at least 100 rows and 80 kinds.

Codes: a 6-digit code must be listed in data/industry/naics-2012-index.csv,
a prefix must begin some code listed there.

Tags: every key=value must be in KNOWN_TAGS below, the tags checked
against the OpenStreetMap wiki and iD's presets when the table was
compiled (see README.md). A tag added to the table has to be checked and
added here too, which is the point.

Prints a summary; exits 1 on the first kind of failure found, listing
every offending row.
"""
import csv
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "naics-osm.csv")
INDEX = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "industry",
                                                           "naics-2012-index.csv")

# Each value has a preset file data/presets/<key>/<value>.json in
# openstreetmap/id-tagging-schema (the presets of the iD editor, which
# cover the documented, commonly used tags), except where noted: those
# three are documented on the wiki's Key:healthcare page as tags used in
# addition to amenity=dentist / amenity=doctors / amenity=clinic.
KNOWN_TAGS = {
    "amenity": """animal_boarding bank bar cafe car_rental car_wash casino childcare cinema
        clinic college conference_centre dentist doctors driving_school fast_food fuel
        ice_cream kindergarten language_school music_school nightclub pharmacy prep_school
        pub restaurant school university veterinary""",
    "craft": """beekeeper brewery carpenter carpet_layer caterer chimney_sweeper cleaning
        distillery dressmaker electrician electronics_repair floorer gardener glaziery hvac
        insulator joiner key_cutter metal_construction painter parquet_layer photographer
        photographic_laboratory plasterer plumber roofer scaffolder shoemaker signmaker
        stonemason tiler upholsterer window_construction winery""",
    "healthcare": """alternative audiologist counselling laboratory midwife occupational_therapist
        optometrist physiotherapist podiatrist psychotherapist speech_therapist
        dentist doctor clinic""",  # the last three: Key:healthcare
    "leisure": """amusement_arcade bowling_alley dance dancing_school escape_game fitness_centre
        golf_course horse_riding marina sports_centre""",
    "office": """accountant advertising_agency architect association construction_company
        consulting courier coworking employment_agency energy_supplier engineer estate_agent
        financial financial_advisor foundation graphic_design guide insurance it lawyer
        moving_company newspaper ngo notary private_investigator property_management research
        security surveyor tax_advisor telecommunication therapist translator union""",
    "shop": """alcohol antiques appliance art bakery bathroom_furnishing beauty bed bicycle books
        butcher car car_parts car_repair carpet cheese chemist clothes coffee computer
        confectionery convenience copyshop cosmetics craft deli doityourself dry_cleaning
        e-cigarette electronics florist flooring funeral_directors furniture games garden_centre
        gift greengrocer hairdresser hardware hearing_aids hifi interior_decoration jewelry
        kitchen laundry locksmith massage mobile_phone motorcycle musical_instrument optician
        pet pet_grooming photo second_hand shoes sports stationery storage_rental supermarket
        tailor tattoo toys travel_agency tyres watches wine""",
    "tourism": "apartment camp_site caravan_site chalet guest_house hostel hotel motel",
}
KNOWN_TAGS = {k: set(v.split()) for k, v in KNOWN_TAGS.items()}

HEADER = ["naics", "osm_key", "osm_value", "kind"]
MIN_ROWS, MIN_KINDS, MAX_KIND_WORDS = 100, 80, 5


def load_index(path):
    codes = set()
    with open(path, newline="") as f:
        for row in csv.reader(f):
            if row and row[0].strip().isdigit() and len(row[0].strip()) == 6:
                codes.add(row[0].strip())
    return codes


def main():
    codes = load_index(INDEX)
    prefixes = {c[:n] for c in codes for n in range(2, 6)}
    with open(TABLE, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [r for r in reader]
    failures = []
    if header != HEADER:
        failures.append("header is %r, not %r" % (header, HEADER))
    seen = set()
    for n, r in enumerate(rows, start=2):
        where = "line %d %s" % (n, ",".join(r))
        if len(r) != 4 or any(not x.strip() or x != x.strip() for x in r):
            failures.append(where + ": not 4 non-empty, trimmed fields")
            continue
        code, key, value, kind = r
        if tuple(r[:3]) in seen:
            failures.append(where + ": repeats an earlier naics,key,value")
        seen.add(tuple(r[:3]))
        if not re.fullmatch(r"[0-9]{2,6}", code):
            failures.append(where + ": naics is not 2 to 6 digits")
        elif len(code) == 6 and code not in codes:
            failures.append(where + ": %s is not in the NAICS 2012 index" % code)
        elif len(code) < 6 and code not in prefixes:
            failures.append(where + ": no code in the index begins with %s" % code)
        if value not in KNOWN_TAGS.get(key, ()):
            failures.append(where + ": %s=%s is not a checked tag" % (key, value))
        if len(kind.split()) > MAX_KIND_WORDS or kind[0].isupper() and not re.match(r"[A-Z]{2,}", kind):
            failures.append(where + ": kind is not a short lowercase phrase")
    kinds = Counter(r[3] for r in rows if len(r) == 4)
    if len(rows) < MIN_ROWS:
        failures.append("%d rows, fewer than %d" % (len(rows), MIN_ROWS))
    if len(kinds) < MIN_KINDS:
        failures.append("%d kinds, fewer than %d" % (len(kinds), MIN_KINDS))

    keys = Counter(r[1] for r in rows if len(r) == 4)
    tags = {(r[1], r[2]) for r in rows if len(r) == 4}
    used_codes = {r[0] for r in rows if len(r) == 4}
    print("%s: %d rows, %d kinds, %d tags, %d NAICS codes (%d prefixes)"
          % (os.path.relpath(TABLE), len(rows), len(kinds), len(tags), len(used_codes),
             sum(1 for c in used_codes if len(c) < 6)))
    print("rows per key: " + ", ".join("%s %d" % kv for kv in sorted(keys.items())))
    print("index: %d codes in %s" % (len(codes), os.path.relpath(INDEX)))
    if failures:
        for f in failures:
            print("FAIL " + f)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
