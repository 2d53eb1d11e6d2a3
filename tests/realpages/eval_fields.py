#!/usr/bin/env python3
"""eval_fields.py BIN [--no-url] [--heldout] [--check] [--show FIELD]: lead
fields of `prospect extract` on the hand-labelled real pages of
tests/realpages against their labels (labels.json, rules in LABELLING.md);
--heldout on the held-out pages of heldout/ instead, labelled after the
extractor was tuned on the others and never used to tune it.

Prints per-field precision, recall and F1:
  phones, e-mails   micro-averaged over (page, value) pairs; a fax number or
                    another party's number found counts against precision
  company name      share of labelled pages whose name is right (case,
                    punctuation and legal suffixes aside)
  postal code       share of the pages showing one where it is found
                    (recall), and of the codes given that are right
  country           share of labelled pages whose country is right
  industry (NAICS)  share of business pages whose code is the label's or an
                    accepted alternative, at 6, 4 and 2 digits

--no-url gives the pages without their address, as a folder of saved pages
would be; by default each page is read with its URL. --check fails (exit 1)
when a figure falls below the floor in FLOORS. --show FIELD prints every
disagreement of one field (phones, emails, name, postal, country, naics)."""
import argparse
import re
import sys

import realpages


# The floors --check holds the extractor to (a little under what it scores,
# so that a regression fails and noise does not).
FLOORS = {
    "url": {"phones": 0.92, "emails": 0.95, "name": 0.92, "postal": 0.88, "country": 0.83,
            "naics2": 0.66},
    "no-url": {"phones": 0.92, "emails": 0.95, "name": 0.92, "postal": 0.88, "country": 0.83,
               "naics2": 0.66},
    # the held-out pages guard against regressions only: nothing is tuned on them
    "heldout-url": {"phones": 0.88, "emails": 0.80, "name": 0.86, "postal": 0.85, "country": 0.76,
                    "naics2": 0.27},
}

LEGAL = re.compile(r"\b(inc|llc|ltd|limited|corp|corporation|co|plc|gmbh|pty|llp|lp|pc|pllc|"
                   r"company|the)\b\.?", re.I)


def norm_name(s):
    s = (s or "").lower().replace("&amp;", "&").replace("&", " and ")
    s = LEGAL.sub(" ", s)
    return re.sub(r"[^0-9a-z]+", "", s)


def norm_postal(s):
    return re.sub(r"\s+", "", (s or "").upper())


def extract(binary, pages, with_url):
    return realpages.extract_pages(binary, pages, with_url)


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--no-url", action="store_true")
    ap.add_argument("--heldout", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--show", default="")
    a = ap.parse_args()
    labels = realpages.labels(a.heldout)
    got = extract(a.binary, labels, not a.no_url)
    show = a.show
    rows = {}

    for field in ("phones", "emails"):
        tp = fp = fn = foreign = 0
        for p in labels:
            want = set(p[field])
            pred = set(x.lower() if field == "emails" else x for x in got[p["id"]].get(field) or [])
            other = set(p.get("other_" + field, [])) | set(p.get("fax", []) if field == "phones" else [])
            tp += len(want & pred)
            fp += len(pred - want)
            fn += len(want - pred)
            foreign += len((pred - want) & other)
            if show == field and (want != pred):
                print("%s %s: missed %s, wrong %s" % (field, p["id"], sorted(want - pred),
                                                       sorted(pred - want)))
        rows[field] = prf(tp, fp, fn) + ("%d of %d wrong ones are fax or another party's" % (foreign, fp),)

    right = total = 0
    for p in labels:
        if not p.get("company_name"):
            continue
        total += 1
        ok = {norm_name(x) for x in [p["company_name"]] + p.get("name_variants", [])}
        pred = got[p["id"]].get("company_name")
        hit = norm_name(pred) in ok and norm_name(pred) != ""
        right += hit
        if show == "name" and not hit:
            print("name %s: %r, want %r" % (p["id"], pred, p["company_name"]))
    rows["name"] = (right / total, right / total, right / total, "%d of %d pages" % (right, total))

    found = shown = given = correct = 0
    for p in labels:
        want = {norm_postal(x) for x in p.get("postal_codes", [])}
        addr = got[p["id"]].get("address") or {}
        pred = norm_postal(addr.get("postal_code"))
        if pred:
            given += 1
            correct += pred in want
        if want:
            shown += 1
            found += pred in want
        if show == "postal" and (want or pred) and pred not in want:
            print("postal %s: %r, want %s" % (p["id"], pred, sorted(want)))
    prec = correct / given if given else 1.0
    rec = found / shown if shown else 1.0
    rows["postal"] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0,
                      "found on %d of %d pages that show one" % (found, shown))

    right = total = 0
    for p in labels:
        if not p.get("country"):
            continue
        total += 1
        pred = got[p["id"]].get("country")
        right += pred == p["country"]
        if show == "country" and pred != p["country"]:
            print("country %s: %r, want %r" % (p["id"], pred, p["country"]))
    rows["country"] = (right / total,) * 3 + ("%d of %d pages" % (right, total),)

    for digits in (6, 4, 2):
        right = total = 0
        for p in labels:
            if not p.get("naics") or not p.get("is_business"):
                continue
            total += 1
            ok = {c[:digits] for c in [p["naics"]] + p.get("naics_alternatives", [])}
            pred = ((got[p["id"]].get("naics") or {}).get("code") or "")[:digits]
            right += pred in ok
            if show == "naics" and digits == 6 and pred not in ok:
                print("naics %s: %s %r, want %s (%s)" % (p["id"], pred,
                      (got[p["id"]].get("naics") or {}).get("title"), p["naics"], p.get("kind")))
        rows["naics%d" % digits] = (right / total,) * 3 + ("%d of %d business pages" % (right, total),)

    mode = ("heldout-" if a.heldout else "") + ("no-url" if a.no_url else "url")
    print("%d %sreal pages (%s)" % (len(labels), "held-out " if a.heldout else "",
                                    "without their URLs" if a.no_url else "with their URLs"))
    print("%-9s %9s %7s %6s  %s" % ("field", "precision", "recall", "F1", ""))
    failed = []
    for k, (pr, rc, f1, note) in rows.items():
        print("%-9s %9.3f %7.3f %6.3f  %s" % (k, pr, rc, f1, note))
        floor = FLOORS.get(mode, {}).get(k)
        if floor is not None and f1 < floor:
            failed.append("%s %.3f < %.2f" % (k, f1, floor))
    if a.check and failed:
        print("below the floor: " + ", ".join(failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
