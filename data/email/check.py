#!/usr/bin/env python3
"""check.py [DIR]: checks the e-mail domain lists in data/email/.

For disposable.txt and freemail.txt:
- every line is one domain: lower case, no space, at least one dot, labels
  of a-z, 0-9 and '-' (not at either end, at most 63 characters), a top
  label of letters or an xn-- (punycode) label, at most 253 characters;
  lines starting with '#' are comments and are skipped (the C loader skips
  them too); an empty line is an error;
- the file ends with a newline and has no CR;
- no domain repeats, and the lines are in byte order (both upstream lists
  are sorted that way, which lets a loader binary-search them);
- the list is not cut short: at least MIN_COUNT domains, and a few
  well-known entries are present.
Across the files: no domain is in both.
Also: LICENSE-disposable and LICENSE-freemail are present and not empty.

Prints the counts; exits 1 listing every offending line.
"""
import os
import re
import sys

HERE = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
TOP = r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
DOMAIN = re.compile(r"(?:%s\.)+%s" % (LABEL, TOP))

LISTS = {
    # file: (licence file, minimum count, entries that must be there)
    "disposable.txt": ("LICENSE-disposable", 3000,
                       ["mailinator.com", "guerrillamail.com", "yopmail.com",
                        "10minutemail.com", "trashmail.com"]),
    "freemail.txt": ("LICENSE-freemail", 300,
                     ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
                      "aol.com", "icloud.com", "gmx.de", "web.de", "mail.ru",
                      "yandex.ru", "protonmail.com"]),
}


def read_list(path):
    """Returns (domains, errors) for one list file."""
    errors = []
    with open(path, "rb") as f:
        raw = f.read()
    if b"\r" in raw:
        errors.append("%s: has CR characters (use LF line ends)" % path)
    if raw and not raw.endswith(b"\n"):
        errors.append("%s: no newline at the end" % path)
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as e:
        errors.append("%s: not ASCII (%s); write IDNs as punycode" % (path, e))
        text = raw.decode("ascii", "replace")
    domains = []
    seen = {}
    prev = None
    for n, line in enumerate(text.split("\n")[:-1] if text.endswith("\n")
                             else text.split("\n"), 1):
        if line.startswith("#"):
            continue
        where = "%s:%d: %r" % (os.path.basename(path), n, line)
        if line == "":
            errors.append(where + " empty line")
            continue
        if line != line.strip() or " " in line or "\t" in line:
            errors.append(where + " has white space")
            continue
        if line != line.lower():
            errors.append(where + " not lower case")
            continue
        if "." not in line:
            errors.append(where + " has no dot")
            continue
        if len(line) > 253 or not DOMAIN.fullmatch(line):
            errors.append(where + " not a valid domain")
            continue
        if line in seen:
            errors.append(where + " repeats line %d" % seen[line])
            continue
        if prev is not None and line < prev:
            errors.append(where + " out of order (after %r)" % prev)
        seen[line] = n
        prev = line
        domains.append(line)
    return domains, errors


def main():
    errors = []
    sets = {}
    for name, (licence, minimum, known) in LISTS.items():
        path = os.path.join(HERE, name)
        if not os.path.isfile(path):
            errors.append("%s: missing" % path)
            continue
        domains, errs = read_list(path)
        errors += errs
        sets[name] = set(domains)
        if len(domains) < minimum:
            errors.append("%s: only %d domains (expected at least %d): cut short?"
                          % (name, len(domains), minimum))
        for d in known:
            if d not in sets[name]:
                errors.append("%s: lacks %s" % (name, d))
        lic = os.path.join(HERE, licence)
        if not os.path.isfile(lic) or os.path.getsize(lic) == 0:
            errors.append("%s: missing or empty" % lic)
        print("%-15s %5d domains" % (name, len(domains)))

    if len(sets) == 2:
        both = sorted(sets["disposable.txt"] & sets["freemail.txt"])
        for d in both:
            errors.append("in both disposable.txt and freemail.txt: %s" % d)
        print("%-15s %5d domains" % ("in both", len(both)))

    if errors:
        for e in errors:
            print("FAIL " + e, file=sys.stderr)
        print("%d problem(s)" % len(errors), file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
