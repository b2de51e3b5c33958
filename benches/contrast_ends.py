"""How stable the earliest–latest contrast is for each `trends.end_share`, and what it names.

For each dated corpus, the documents are split at random into two halves (three seeds); the
binary runs on each half with each share, and the table gives the mean Jaccard overlap of the
two halves' top rising and falling terms (tables/changes.csv): how much of the list is the
corpus talking rather than the sample. A second table gives, on the whole corpus, the sides
each share compares and the rank of a few terms whose course is known (the corpora's README).

Usage: contrast_ends.py BINARY [SHARE ...]   (writes under target/contrast-ends/)
"""
import csv, gzip, json, os, random, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPORA = os.path.join(ROOT, "..", "shared", "corpora")
WORK = os.path.join(ROOT, "target", "contrast-ends")
# (name, corpus file or folder, extra arguments, known changes: (direction, term) as the lists
# name them; the contrast folds "climate change" into "climate", "Soviet Union" into "Soviet")
SETS = [
    ("seeds", os.path.join(ROOT, "seeds"), [], [("rising", "data"), ("rising", "data security")]),
    ("CPC congresses, by year", "cpc_congress_zh.jsonl.gz", ["--language", "chinese"],
     [("rising", "安全"), ("falling", "阶级斗争")]),
    ("UNGD, by year", "ungd.jsonl.gz", [],
     [("rising", "climate"), ("rising", "SDGs"), ("falling", "Soviet"), ("falling", "atomic")]),
    ("UNGD, by decade", "ungd.jsonl.gz", ["--period", "decade"],
     [("rising", "climate"), ("rising", "SDGs"), ("falling", "Soviet"), ("falling", "atomic")]),
    ("Reuters R8, by month", "reuters_r8.jsonl.gz", ["--period", "month"], []),
]
SEEDS = (1, 2, 3)


def run(binary, corpus, args, share, out):
    if os.path.exists(os.path.join(out, "tables", "changes.csv")):
        return
    config = out + ".toml"
    os.makedirs(os.path.dirname(out), exist_ok=True)
    # A corpus folder's own configuration (the seeds' tracked terms and k), with the share set.
    own = os.path.join(corpus, "topictide.toml")
    text = open(own, encoding="utf-8").read() if os.path.isfile(own) else ""
    if "[trends]" in text:
        text = text.replace("[trends]", f"[trends]\nend_share = {share}", 1)
    else:
        text += f"\n[trends]\nend_share = {share}\n"
    with open(config, "w", encoding="utf-8") as f:
        f.write(text)
    subprocess.run([binary, "run", "-q", "--corpus", corpus, "--config", config, "--out", out, *args],
                   check=True, stdout=subprocess.DEVNULL)


def changes(out):
    rows = list(csv.DictReader(open(os.path.join(out, "tables", "changes.csv"), encoding="utf-8")))
    return rows


def halves(path, name):
    docs = gzip.open(path, "rt", encoding="utf-8").readlines()
    made = []
    for seed in SEEDS:
        order = list(range(len(docs)))
        random.Random(seed).shuffle(order)
        pair = []
        for h in (0, 1):
            file = os.path.join(WORK, "halves", f"{name}_{seed}_{h}.jsonl")
            if not os.path.exists(file):
                os.makedirs(os.path.dirname(file), exist_ok=True)
                with open(file, "w", encoding="utf-8") as f:
                    f.writelines(docs[i] for i in sorted(order[h::2]))
            pair.append(file)
        made.append(pair)
    return made


def main():
    binary = sys.argv[1]
    shares = [float(s) for s in sys.argv[2:]] or [0.0, 0.05, 0.1, 0.2, 0.25]
    stability, named = [], []
    for name, corpus, args, known in SETS:
        path = corpus if os.path.isabs(corpus) else os.path.join(CORPORA, corpus)
        if not os.path.exists(path):
            print(f"skipped {name}: {path} is absent", file=sys.stderr)
            continue
        key = name.split(",")[0].split()[0].lower() + "".join(a.strip("-")[:1] for a in args[1::2])
        cells, rows = [], []
        for share in shares:
            out = os.path.join(WORK, f"{key}_full_{share}")
            run(binary, path, args, share, out)
            ch = changes(out)
            sides = f"{ch[0]['from']} vs {ch[0]['to']}" if ch else "–"
            def rank(direction, term):
                listed = [r["term"] for r in ch if r["direction"] == direction]
                return str(listed.index(term) + 1) if term in listed else "–"
            rows.append((share, sides, [rank(d, t) for d, t in known]))
            if path.endswith(".gz"):
                js = []
                for seed, (a, b) in zip(SEEDS, halves(path, key)):
                    lists = []
                    for h, half in enumerate((a, b)):
                        o = os.path.join(WORK, f"{key}_{seed}_{h}_{share}")
                        run(binary, half, args, share, o)
                        lists.append({(r["direction"], r["term"]) for r in changes(o)})
                    js.append(len(lists[0] & lists[1]) / max(1, len(lists[0] | lists[1])))
                cells.append(f"{sum(js) / len(js):.2f}")
            else:
                cells.append("–")
        stability.append((name, cells))
        named.append((name, known, rows))
    print("# The earliest–latest contrast for each `trends.end_share`\n")
    print("Written by `benches/contrast-ends` (see `benches/contrast_ends.py`); the default is "
          "0.05 (README, Trends).\n")
    print("Overlap of the top rising and falling terms between random halves (mean of 3 splits)\n")
    print("| corpus | " + " | ".join(f"end_share {s:g}" for s in shares) + " |")
    print("|---" * (len(shares) + 1) + "|")
    for name, cells in stability:
        print(f"| {name} | " + " | ".join(cells) + " |")
    for name, known, rows in named:
        print(f"\n{name}: the sides compared, and the rank of known changes in the top lists\n")
        print("| end_share | sides | " + " | ".join(f"{d} {t}" for d, t in known) + " |")
        print("|---" * (len(known) + 2) + "|")
        for share, sides, ranks in rows:
            print(f"| {share:g} | {sides} | " + " | ".join(str(r) for r in ranks) + " |")


if __name__ == "__main__":
    main()
