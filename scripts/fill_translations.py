#!/usr/bin/python3
"""Fills unfinished entries of a Qt .ts file from a source -> translation table (JSON).

Usage: fill_translations.py translations/lowbit_zh_CN.ts translations/zh_CN.json
Entries the table lacks stay unfinished and are listed, so a missing translation is never silent.
"""
import json
import sys
import xml.etree.ElementTree as ET


def main() -> int:
    ts_path, table_path = sys.argv[1], sys.argv[2]
    with open(table_path, encoding="utf-8") as f:
        table = json.load(f)
    tree = ET.parse(ts_path)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source")
        translation = message.find("translation")
        if source in table:
            translation.text = table[source]
            translation.attrib.pop("type", None)
        elif translation.get("type") == "unfinished" or not translation.text:
            missing.append(source)
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    with open(ts_path, "r+", encoding="utf-8") as f:  # keep the DOCTYPE line lupdate expects
        text = f.read().replace("<?xml version='1.0' encoding='utf-8'?>\n",
                                '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n', 1)
        f.seek(0)
        f.write(text)
        f.truncate()
    for source in missing:
        print(f"untranslated: {source}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
