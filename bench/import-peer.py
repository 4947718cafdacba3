# The reference side of `npm run bench -- import`: the plainest import of the same file, Python's
# csv module (its reader is C) and sqlite3 inserting every row in one transaction, with the
# store's journal settings (WAL, synchronous NORMAL) and no checks, no duplicate look-ups and no
# search columns. Reads {"csvFile", "dir", "runs"} on stdin; prints the timings as JSON.
import csv
import io
import json
import os
import sqlite3
import sys
import time

args = json.load(sys.stdin)
with open(args["csvFile"], encoding="utf-8-sig", newline="") as f:
    text = f.read()

started = time.perf_counter()
list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
parse_first_ms = (time.perf_counter() - started) * 1000
parse_ms = []
import_ms = []
rows = 0
for run in range(args["runs"]):
    started = time.perf_counter()
    list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    parse_ms.append((time.perf_counter() - started) * 1000)

    db = sqlite3.connect(os.path.join(args["dir"], f"peer-{run}.sqlite"), isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(
        "CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT, email TEXT,"
        " external_id TEXT, messenger_username TEXT, created_at INTEGER NOT NULL)"
    )
    started = time.perf_counter()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    next(reader)
    now = int(time.time() * 1000)
    db.execute("BEGIN")
    cursor = db.executemany(
        "INSERT INTO clients (name, phone, email, external_id, messenger_username, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        ([*(field or None for field in row[:5]), now] for row in reader),
    )
    db.execute("COMMIT")
    import_ms.append((time.perf_counter() - started) * 1000)
    rows = cursor.rowcount
    db.close()

print(json.dumps({"parseFirstMs": parse_first_ms, "parseMs": parse_ms, "importMs": import_ms, "imported": rows}))
