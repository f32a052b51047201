#!/usr/bin/env python
"""Fill a gettext catalogue from a JSON mapping, for translators working from the shell.

    python scripts/po_fill.py PO --list            # untranslated/fuzzy msgids as a JSON object to fill in
    python scripts/po_fill.py PO FILE.json         # set msgstr for each {"msgid": "译文"} (plural: ["单数", "复数"])
"""
import json
import sys

import polib


def main(argv):
    po = polib.pofile(argv[1])
    if argv[2] == "--list":
        todo = {e.msgid: "" for e in po if (not e.translated() or "fuzzy" in e.flags) and not e.obsolete}
        print(json.dumps(todo, ensure_ascii=False, indent=1))
        return 0
    mapping = json.load(open(argv[2], encoding="utf-8"))
    done = 0
    for entry in po:
        if entry.msgid in mapping and mapping[entry.msgid]:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                values = value if isinstance(value, list) else [value]
                entry.msgstr_plural = {0: values[0]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            done += 1
    po.save()
    left = len([e for e in po if not e.translated() and not e.obsolete])
    print(f"{done} set, {left} still untranslated in {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
