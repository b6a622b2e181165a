#!/usr/bin/env python3
"""Fills the English plural forms of translations/ecotone_en.ts (made by `lupdate -pluralonly`).

Source strings say "%n room(s)"; English needs "1 room" and "2 rooms". Qt looks plurals up in a translation, so
English gets one with only the numerus messages. Forms are derived from the source text by rule; a message the
rules cannot handle is reported and the script fails, so a new string never ships with "(s)".
"""
import re
import sys
import xml.etree.ElementTree as ET

IRREGULAR = {"currency(s)": ("currency", "currencies"), "companies": ("company", "companies"),
             "pairs": ("pair", "pairs"), "rows": ("row", "rows"), "entries": ("entry", "entries")}


def forms(source):
    one, many = source, source
    for word, (singular, plural) in IRREGULAR.items():
        one = one.replace(word, singular)
        many = many.replace(word, plural)
    one = re.sub(r"\(s\)", "", one)
    many = re.sub(r"\(s\)", "s", many)
    return one, many


def main(path):
    tree = ET.parse(path)
    bad = []
    for message in tree.iter("message"):
        if message.get("numerus") != "yes":
            continue
        source = message.findtext("source")
        one, many = forms(source)
        if one == many and "%n" in source and not re.search(r"%n (won|closed)\b", source):
            bad.append(source)
        translation = message.find("translation")
        for child in list(translation):
            translation.remove(child)
        translation.attrib.pop("type", None)
        translation.text = None
        for text in (one, many):
            form = ET.SubElement(translation, "numerusform")
            form.text = text
    tree.write(path, encoding="utf-8", xml_declaration=True)
    if bad:
        sys.stderr.write("fill_en_plurals: no plural rule for:\n  " + "\n  ".join(bad) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "translations/ecotone_en.ts"))
