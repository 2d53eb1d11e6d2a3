#!/usr/bin/env python3
"""gen-common-words.py DICT PROPERNAMES OUTDIR: the two word lists the people
extractor tests names with, derived from Debian's word lists.

  OUTDIR/common-words.txt  the common English words of DICT (wamerican's
                           /usr/share/dict/american-english) that are never
                           names: lower-case entries whose capitalised form
                           is not an entry of its own. A capitalised token
                           that is one of them ("Team", "Meet", "Edge") is
                           an ordinary word.
  OUTDIR/given-names.txt   the given names of PROPERNAMES (miscfiles'
                           /usr/share/dict/propernames.gz), lower case: a
                           name whose surname is also a word ("Monica
                           Frame") is taken when its first name is one.

One word a line, ASCII letters only, sorted bytewise."""
import gzip
import os
import sys


def read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        return {line.strip() for line in f if line.strip()}


def write(path, words):
    with open(path, "w", encoding="ascii") as f:
        f.write("".join(w + "\n" for w in sorted(words)))


words = read(sys.argv[1])
write(os.path.join(sys.argv[3], "common-words.txt"),
      (w for w in words if w.isascii() and w.isalpha() and w.islower()
       and w.capitalize() not in words))
write(os.path.join(sys.argv[3], "given-names.txt"),
      {w.lower() for w in read(sys.argv[2]) if w.isascii() and w.isalpha()})
