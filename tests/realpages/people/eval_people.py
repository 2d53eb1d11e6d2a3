#!/usr/bin/env python3
"""eval_people.py BIN [--no-url] [--check] [--show]: the people that
`BIN extract --format json FILE` reports on the hand-labelled real pages of
this folder (labels.json, rules in README.md), against the labels.

Each page is written to a temporary file and read with
`BIN extract --format json --url URL FILE` (--no-url leaves the address out,
as a folder of saved pages would). The output's top-level key `people` is an
array of {name, title, seniority, department, email, phone, linkedin,
source_url}; a missing key counts as no people.

Prints:
  names         precision, recall and F1, micro-averaged over (page, name)
                pairs. Names are compared after normalising case, accents,
                punctuation, white space, honorifics (Dr., Mr., Prof. ...) and
                post-nominals (MD, PhD, CPA ...); a reported name also matches
                a labelled one when it is the same but for one middle name or
                initial, or equals one of the label's name_variants. Names the
                labels call neutral (bare bylines, first names only) are left
                out of precision; distractors reported count against it.
  titles        among matched people whose label has a title: the share
                whose reported title is right (normalised: case, '&' = 'and',
                punctuation and white space aside; the label's title or one
                of its title_variants)
  seniority,    among the same people: the share whose reported value equals
  department    the label's
  contacts      among matched people whose label has an e-mail, phone or
                LinkedIn URL: the share reported with the same value
  distractors   how many labelled distractors were reported as people

--check exits 1 when a figure falls below its floor in FLOORS.
--show prints, per page, the misses, false positives and wrong titles."""
import argparse
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import realpages  # noqa: E402

# The floors --check holds the extractor to, a little under its figures
# when they were set (precision 0.855, recall 0.765, F1 0.808, titles 0.943,
# seniority 0.951, department 0.748, 19 distractors).
FLOORS = {
    "precision": 0.83,
    "recall": 0.72,
    "f1": 0.78,
    "titles": 0.90,
    "seniority": 0.90,
    "department": 0.68,
    # the most distractors that may be reported as people (None: no limit)
    "max_distractors": 24,
}

HONORIFICS = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame",
              "rev", "fr", "hon", "atty"}
POSTNOMINALS = {"md", "phd", "dds", "dmd", "do", "esq", "cpa", "ea", "jr", "sr", "ii", "iii",
                "iv", "mba", "rn", "bsn", "np", "pa", "cfp", "cepf", "cfa", "cscs", "lcsw",
                "lcswr", "rdn", "mbe", "pe"}


def fold(s):
    s = unicodedata.normalize("NFKD", s or "")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def name_tokens(s):
    """Tokens of a person's name: lower case, no accents or punctuation,
    without leading honorifics or trailing post-nominals."""
    s = fold(s).replace("’", "'").replace("'", "")
    s = re.sub(r"\bph\.?\s?d\b\.?", " phd ", s)
    s = re.sub(r"\bm\.d\b\.?", " md ", s)

    def split(x):
        return [t for t in re.split(r"[^0-9a-z]+", x) if t]
    head, _, tail = s.partition(",")
    # post-nominals follow a comma ("Carrie Menke, Ph.D", "Jenny Jorgensen, NP")
    toks = split(head) if tail and all(t in POSTNOMINALS for t in split(tail)) else split(s)
    while toks and toks[0] in HONORIFICS:
        toks = toks[1:]
    while len(toks) > 2 and toks[-1] in ("jr", "sr", "ii", "iii", "iv"):
        toks = toks[:-1]
    return toks


def names_match(a, b):
    """True when token lists a and b name the same person: equal, or equal
    but for one middle name or initial."""
    if not a or not b:
        return False
    if a == b:
        return True
    if len(a) < 2 or len(b) < 2 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    short, long_ = sorted((a[1:-1], b[1:-1]), key=len)
    if len(long_) - len(short) > 1:
        return False
    rest = list(long_)
    for t in short:  # the shorter's middle parts must all be in the longer
        hit = next((r for r in rest if r == t or (len(t) == 1 and r.startswith(t))
                    or (len(r) == 1 and t.startswith(r))), None)
        if hit is None:
            return False
        rest.remove(hit)
    return True


def norm_title(s):
    s = fold(s).replace("&", " and ")
    return " ".join(re.split(r"[^0-9a-z]+", s)).strip()


def norm_value(kind, s):
    if not s:
        return ""
    s = s.strip()
    if kind == "email":
        return s.lower().removeprefix("mailto:")
    if kind == "phone":
        return re.sub(r"\D", "", s)
    return re.sub(r"^https?://([a-z]+\.)?", "", s.lower()).rstrip("/").split("?")[0]


def label_names(person):
    return [name_tokens(person["name"])] + [name_tokens(v) for v in person.get("name_variants", [])]


def extract(binary, pages, with_url):
    """The people each page's `prospect extract` reports: {id: [person]}."""
    out = realpages.extract_pages(binary, pages, with_url,
                                  lambda pid: os.path.join(HERE, "pages", pid + ".html.gz"))
    return {pid: [x for x in (o.get("people") or [])
                  if isinstance(x, dict) and (x.get("name") or "").strip()]
            for pid, o in out.items()}


def score_page(page, found):
    """Matches one page's reported people against its labels."""
    labelled = page["people"]
    neutral = [name_tokens(n) for n in page.get("neutral", [])]
    distractors = [name_tokens(d["text"]) for d in page.get("distractors", [])]
    seen, reported = set(), []
    for f in found:  # one per normalised name
        key = tuple(name_tokens(f["name"]))
        if key and key not in seen:
            seen.add(key)
            reported.append(f)
    matches, free = [], list(range(len(labelled)))
    fps, neutral_hits, distractor_hits = [], [], []
    for f in reported:
        toks = name_tokens(f["name"])
        hit = next((i for i in free if any(names_match(toks, n) for n in label_names(labelled[i]))),
                   None)
        if hit is not None:
            free.remove(hit)
            matches.append((labelled[hit], f))
        elif any(names_match(toks, n) for n in neutral):
            neutral_hits.append(f)
        else:
            fps.append(f)
            if any(names_match(toks, d) for d in distractors):
                distractor_hits.append(f)
    return matches, [labelled[i] for i in free], fps, neutral_hits, distractor_hits


def ratio(a, b):
    return a / b if b else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--no-url", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()

    pages = json.load(open(os.path.join(HERE, "labels.json")))
    found = extract(args.binary, pages, not args.no_url)

    tp = fp = fn = 0
    t_have = t_right = t_null = t_null_right = 0
    s_right = d_right = 0
    contacts = {k: [0, 0] for k in ("email", "phone", "linkedin")}
    n_distractors = n_neutral = 0
    for page in pages:
        matches, misses, fps, neutral_hits, distractor_hits = score_page(page, found[page["id"]])
        tp += len(matches)
        fn += len(misses)
        fp += len(fps)
        n_neutral += len(neutral_hits)
        n_distractors += len(distractor_hits)
        wrong_titles = []
        for lab, rep in matches:
            if lab["title"]:
                t_have += 1
                ok = norm_title(rep.get("title")) in {norm_title(t) for t in
                                                     [lab["title"]] + lab.get("title_variants", [])}
                t_right += ok
                if not ok:
                    wrong_titles.append((lab, rep))
                s_right += (rep.get("seniority") or None) == lab["seniority"]
                d_right += (rep.get("department") or None) == lab["department"]
            else:
                t_null += 1
                t_null_right += not (rep.get("title") or "").strip()
            for k in contacts:
                if lab.get(k):
                    contacts[k][1] += 1
                    contacts[k][0] += norm_value(k, rep.get(k)) == norm_value(k, lab[k])
        if args.show and (misses or fps or wrong_titles):
            print("== %s %s (%s)" % (page["id"], page["domain"], page["page_type"]))
            for lab in misses:
                print("   missed      %s (%s)" % (lab["name"], lab["title"]))
            for rep in fps:
                why = " [distractor]" if rep in distractor_hits else ""
                print("   not a person of the organisation: %s (%s)%s"
                      % (rep["name"], rep.get("title"), why))
            for lab, rep in wrong_titles:
                print("   title       %s: %r, labelled %r" % (lab["name"], rep.get("title"), lab["title"]))

    p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = ratio(2 * p * r, p + r)
    figures = {"precision": p, "recall": r, "f1": f1, "titles": ratio(t_right, t_have),
               "seniority": ratio(s_right, t_have), "department": ratio(d_right, t_have)}
    n_labelled = sum(len(pg["people"]) for pg in pages)
    print("people on %d pages (%d with people): %d labelled, %d with a title"
          % (len(pages), sum(pg["has_people"] for pg in pages), n_labelled,
             sum(1 for pg in pages for x in pg["people"] if x["title"])))
    print("names        precision %.3f  recall %.3f  F1 %.3f   (%d right, %d wrong, %d missed;"
          " %d neutral names not counted)" % (p, r, f1, tp, fp, fn, n_neutral))
    print("titles       %.3f right among %d matched people who have one"
          "   (%d/%d matched without a title reported without one)"
          % (figures["titles"], t_have, t_null_right, t_null))
    print("seniority    %.3f   department %.3f   (among the same %d)"
          % (figures["seniority"], figures["department"], t_have))
    print("contacts     " + "   ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in contacts.items())
          + "   (among matched people labelled with one)")
    print("distractors  %d reported as people (of %d labelled)"
          % (n_distractors, sum(len(pg["distractors"]) for pg in pages)))

    if args.check:
        low = [k for k, v in figures.items() if v < FLOORS[k]]
        if FLOORS["max_distractors"] is not None and n_distractors > FLOORS["max_distractors"]:
            low.append("max_distractors")
        if low:
            print("below the floor: " + ", ".join(low))
            sys.exit(1)


if __name__ == "__main__":
    main()
