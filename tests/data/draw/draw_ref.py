#!/usr/bin/env python3
"""draw_ref.py — a second, independent implementation of the xiaoan draw
(docs/draw.md), Python 3 standard library only, used to show that the page
is precise enough to reproduce a draw bit for bit.

    python3 draw_ref.py PLAN.json      prints 通过 and exits 0, or the first
                                       difference and exits 1
    python3 draw_ref.py make PLAN.json SEEDHEX BEACON
                                       commit the plan part of PLAN.json to the
                                       seed and reveal it with the beacon (the
                                       beacon normalised as the page says);
                                       prints the revealed plan file

It reimplements steps 1-7 of docs/draw.md from the text, not from the C code.
"""
import datetime
import hashlib
import json
import sys


def h(data, size, key=b""):
    return hashlib.blake2b(data, digest_size=size, key=key).digest()


def canonical(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def days(date):
    return datetime.date.fromisoformat(date).toordinal()


class Stream:
    def __init__(self, key):
        self.key, self.block, self.words = key, 0, []

    def next(self):
        if not self.words:
            b = h(self.block.to_bytes(8, "little"), 64, self.key)
            self.words = [int.from_bytes(b[8 * i:8 * i + 8], "little") for i in range(8)]
            self.block += 1
        return self.words.pop(0)

    def uniform(self, n):
        rem = (1 << 64) % n
        while True:
            x = self.next()
            if rem == 0 or x < (1 << 64) - rem:
                return x % n


def draw(plan, seed, beacon):
    p = plan["params"]
    rows, insp = plan["schools"], plan["inspectors"]
    P = h(canonical(plan), 32)
    n, k, cross = p["schools"], p["team"], p["kind"] == "cross"

    def weight(r):
        w = p["weights"][r["tier"]]
        d = p["boost_unvisited"]
        if d > 0 and (r["last_visit"] is None or
                      days(plan["as_of"]) - days(r["last_visit"]) >= d):
            w *= 2
        return w

    def allowed(j, i):
        return not cross or (insp[j]["county"] is not None and
                             insp[j]["county"] != rows[i]["county"])

    def elig(i):
        return sum(allowed(j, i) for j in range(len(insp)))

    pool = [(i, weight(r)) for i, r in enumerate(rows) if weight(r) > 0]
    if n > len(pool) or k > len(insp) or \
            (cross and any(x["county"] is None for x in insp)) or \
            any(elig(i) < k for i, _ in pool):
        raise ValueError("infeasible")

    R = h(b"xiaoan-draw-v1" + P + beacon.encode(), 32, seed)
    s = Stream(R)
    drawn = []
    for _ in range(n):
        x = s.uniform(sum(w for _, w in pool))
        at = 0
        while x >= pool[at][1]:
            x -= pool[at][1]
            at += 1
        drawn.append(pool.pop(at)[0])

    order = sorted(range(n), key=lambda q: elig(drawn[q]))  # stable
    load = [0] * len(insp)
    left = [sum(allowed(j, i) for i in drawn) for j in range(len(insp))]
    teams = [[] for _ in range(n)]
    for q in order:
        i, team = drawn[q], teams[q]
        for _ in range(k):
            c = [j for j in range(len(insp)) if allowed(j, i) and j not in team]
            lo = min(load[j] for j in c)
            c = [j for j in c if load[j] == lo]
            lo = min(left[j] for j in c)
            c = [j for j in c if left[j] == lo]
            pick = c[s.uniform(len(c))]
            team.append(pick)
            load[pick] += 1
        for j in range(len(insp)):
            left[j] -= allowed(j, i)

    moved = True
    while moved:
        moved = False
        for q in range(n):
            for m in range(k):
                i = teams[q][m]
                c = [j for j in range(len(insp)) if load[j] + 2 <= load[i] and
                     allowed(j, drawn[q]) and j not in teams[q]]
                if c:
                    best = min(c, key=lambda j: (load[j], j))
                    teams[q][m] = best
                    load[i] -= 1
                    load[best] += 1
                    moved = True
                    break
            if moved:
                break

    out = []
    for q in range(n):
        code = rows[drawn[q]]["code"]
        aid = h(b"xiaoan-assignment-v1\0" + plan["id"].encode() + b"\0" + code.encode(), 16)
        out.append({"id": aid.hex(), "school": code,
                    "team": [insp[j]["fingerprint"] for j in teams[q]]})
    return P, R.hex(), out


def verify(doc):
    if doc.get("format") != "xiaoan.draw/1":
        return "not a draw plan"
    rv = doc["reveal"]
    if rv is None:
        return "not revealed"
    seed = bytes.fromhex(rv["seed"])
    P = h(canonical(doc["plan"]), 32)
    if h(seed + P, 32).hex() != doc["commitment"]:
        return "commitment differs"
    try:
        _, rnd, asg = draw(doc["plan"], seed, rv["beacon"])
    except (ValueError, KeyError) as e:
        return "infeasible or malformed: %s" % e
    if rnd != rv["randomness"]:
        return "randomness differs"
    for q, (a, b) in enumerate(zip(asg, rv["assignments"])):
        if a != b:
            return "assignment %d differs" % (q + 1)
    if len(asg) != len(rv["assignments"]):
        return "the number of assignments differs"
    return None


def make(path, seedhex, beacon):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    seed = bytes.fromhex(seedhex)
    beacon = beacon.strip(" \t\r\n\v\f")
    P = h(canonical(doc["plan"]), 32)
    doc["commitment"] = h(seed + P, 32).hex()
    _, rnd, asg = draw(doc["plan"], seed, beacon)
    doc["reveal"] = {"seed": seedhex, "beacon": beacon, "randomness": rnd, "assignments": asg}
    print(json.dumps(doc, ensure_ascii=False, indent=1))
    return 0


def main():
    if sys.argv[1] == "make":
        return make(sys.argv[2], sys.argv[3], sys.argv[4])
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    diff = verify(doc)
    if diff:
        print(diff)
        return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
