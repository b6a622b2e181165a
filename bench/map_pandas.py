#!/usr/bin/python3
"""The account-mapping join of `ecotone map`, written the way a data analyst would with pandas + tldextract.

Usage: /usr/bin/python3 bench/map_pandas.py OURS.csv THEIRS.csv > matches.json

Same inputs (Salesforce or HubSpot exports, columns found by header), same rules for the exact part:
registrable domain (tldextract with its bundled suffix list, no network), else the same normalized name with a
compatible country (equal or either unknown) and no conflicting domains. No fuzzy rule (a fuzzy join is not
practical in pandas at this size) and no duplicate grouping, which both favour this script in the timing.
Output: one match per line, {"ours":ID,"theirs":ID,"rule":"domain|name","score":S}, like ecotone's.
"""
import json
import re
import sys
import unicodedata

import pandas as pd
import tldextract

EXTRACT = tldextract.TLDExtract(suffix_list_urls=())  # bundled snapshot: offline

COLUMNS = {
    "id": ["id", "account id", "record id"],
    "name": ["name", "account name", "company name"],
    "website": ["company domain name", "website", "website url"],
    "country": ["billingcountry", "billing country", "country/region", "country"],
}

LEGAL = set(
    "inc incorporated llc llp lp pllc corp corporation co company ltd limited plc pty pte pvt bhd sdn gmbh mbh ag "
    "kg kgaa ohg ug gbr ev aktiengesellschaft se sa sas sasu sarl eurl sca snc sprl bvba bv nv vof cv spa srl srls "
    "sapa sl slu sau ltda lda eireli sacv sab ab publ aktiebolag oy oyj as asa aps hf ehf kk gk yk sro doo zrt nyrt "
    "kft spzoo ooo zao oao pjsc".split()
)
PHRASES = [p.split() for p in ["kabushiki kaisha", "kabushiki gaisha", "s a", "s l", "b v", "n v", "k k", "a s",
                                "s p a", "s r l", "l l c", "co kg", "gmbh co kg"]]
PHRASES.sort(key=len, reverse=True)
SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i"})
COUNTRIES = {}
for code, names in {
    "us": ["usa", "united states", "united states of america", "america"],
    "gb": ["uk", "united kingdom", "great britain", "england"],
    "de": ["deu", "germany", "deutschland"], "fr": ["fra", "france"], "nl": ["nld", "netherlands", "holland"],
    "it": ["ita", "italy", "italia"], "es": ["esp", "spain", "españa", "espana"], "se": ["swe", "sweden", "sverige"],
    "jp": ["jpn", "japan"], "au": ["aus", "australia"], "br": ["bra", "brazil", "brasil"],
}.items():
    COUNTRIES[code] = code
    for n in names:
        COUNTRIES[n] = code


def normalize(name):
    if not isinstance(name, str) or not name:
        return ""
    s = unicodedata.normalize("NFKD", name.casefold().translate(SPECIAL))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("&", " and ").replace("+", " and ")
    s = re.sub(r"(?<=\w)['.’`´]", "", s)
    s = re.sub(r"\b(\w)/(\w)\b", r"\1\2", s)
    words = re.sub(r"[^\w]+", " ", s).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    stripped = False
    while True:
        for p in PHRASES:
            if len(p) < len(words) and words[-len(p):] == p:
                words = words[:-len(p)]
                stripped = True
                break
        else:
            if len(words) > 1 and (words[-1] in LEGAL or (stripped and words[-1] == "and")):
                words = words[:-1]
                stripped = True
                continue
            break
    return " ".join(words)


def domain(website):
    if not isinstance(website, str) or not website.strip():
        return ""
    return EXTRACT(website.strip().lower().rstrip(".")).registered_domain


def load(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    lower = {c.strip().lower(): c for c in df.columns}
    picked = {}
    for field, candidates in COLUMNS.items():
        for c in candidates:
            if c in lower:
                picked[field] = lower[c]
                break
        else:
            picked[field] = None
    out = pd.DataFrame({"id": df[picked["id"]]})
    out["name"] = df[picked["name"]].map(normalize) if picked["name"] else ""
    out["domain"] = df[picked["website"]].map(domain) if picked["website"] else ""
    countries = df[picked["country"]] if picked["country"] else pd.Series([""] * len(df))
    out["country"] = countries.map(lambda c: COUNTRIES.get(c.strip().casefold(), c.strip().casefold()))
    return out


def main():
    ours, theirs = load(sys.argv[1]), load(sys.argv[2])
    by_domain = ours[ours.domain != ""].merge(theirs[theirs.domain != ""], on="domain", suffixes=("_o", "_t"))
    by_domain = by_domain.drop_duplicates(["id_o", "id_t"])
    by_name = ours[ours.name != ""].merge(theirs[theirs.name != ""], on="name", suffixes=("_o", "_t"))
    ok = (by_name.country_o == "") | (by_name.country_t == "") | (by_name.country_o == by_name.country_t)
    ok &= (by_name.domain_o == "") | (by_name.domain_t == "") | (by_name.domain_o == by_name.domain_t)
    by_name = by_name[ok]
    seen = set(zip(by_domain.id_o, by_domain.id_t))
    out = sys.stdout
    compact = (",", ":")
    out.write('{"matches":[')
    first = True
    for o, t in zip(by_domain.id_o, by_domain.id_t):
        match = {"ours": o, "theirs": t, "rule": "domain", "score": 1}
        out.write(("\n" if first else ",\n") + json.dumps(match, separators=compact))
        first = False
    for o, t in zip(by_name.id_o, by_name.id_t):
        if (o, t) in seen:
            continue
        match = {"ours": o, "theirs": t, "rule": "name", "score": 0.95}
        out.write(("\n" if first else ",\n") + json.dumps(match, separators=compact))
        first = False
    out.write('],\n"ours":{"records":%d},"theirs":{"records":%d}}\n' % (len(ours), len(theirs)))


if __name__ == "__main__":
    main()
