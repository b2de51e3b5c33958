"""Writes benches/trend-judgements.md: UNGD by year and by decade, the top 20 bursts, the top
10 shifts and the top 10 successions; SOTU by decade, CPC by congress and the seeds by year, the top 20 bursts; each with the verdict a reader gave it in
benches/trend-verdicts.tsv (sensible or not, with a one-line reason), and the precision those
verdicts make. Items nobody has judged yet are listed as "unjudged" and count against the
precision: judge them in the TSV and run this again.

It also checks, without a reader, what can be counted: no number word among the top 50 bursts,
the bursts in the top 20 that go on in the last period or open the timeline, and which of the
long changes a reader expects are in the shifts table (and where a missing one shows instead).

It checks the episodes a historian expects (../shared/corpora/README.md) without a reader too:
each one's row among the bursts, within its periods.

Usage: benches/trend-judgements (builds topictide and runs it on ../shared/corpora: UNGD, SOTU,
CPC; and on the seeds).
"""

import csv
import html
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "ungd.jsonl.gz"
VERDICTS = ROOT / "benches" / "trend-verdicts.tsv"
OUT = ROOT / "benches" / "trend-judgements.md"

NUMBER_WORDS = set("""zero one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
eighty ninety hundred thousand million billion trillion first second third fourth fifth sixth
seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth
seventeenth eighteenth nineteenth twentieth thirtieth fortieth fiftieth sixtieth seventieth
eightieth ninetieth hundredth""".split())
LONG_CHANGES = ["sustainable development", "climate change", "Millennium Development Goals",
                "Sustainable Development Goals", "Soviet Union", "apartheid"]
SHARED = ROOT.parent / "shared" / "corpora"
CPC_CONGRESSES = "1921,1923,1945,1969,1973,1977,1982,1987,1992,1997,2002,2007,2012,2017,2022"
# Other diachronic corpora: name, key in the verdicts, corpus, flags, and the episodes a historian
# expects (../shared/corpora/README.md): a term pattern, and the first and last period a burst of
# it must overlap (None: the last period of the timeline).
OTHERS = [
    ("SOTU by decade", "sotu-decade", SHARED / "sotu.jsonl.gz", ["--period", "decade"],
     [("slave…", r"^slave", "1830s", "1860s"), ("railroad…", r"railroad", "1850s", "1920s"),
      ("Communis…", r"^communis", "1940s", "1980s"), ("Vietnam", r"^vietnam", "1960s", "1970s"),
      ("terror…", r"^terror", "1980s", None)]),
    ("CPC by congress", "cpc-congress", SHARED / "cpc_congress_zh.jsonl.gz",
     ["--language", "chinese", "--periods", CPC_CONGRESSES],
     [("阶级斗争 (class struggle)", r"^阶级斗争$", "1969–1972", "1982–1986")]),
    # The default corpus: five articles, 2016–2021, one or two a year.
    ("Seeds by year", "seeds-year", ROOT / "seeds", [], []),
]
UNGD_EPISODES = [("apartheid", r"^apartheid$", "1960s", "1990s"), ("COVID", r"^COVID$", "2020s", None)]


def run(binary: str, period: str, work: Path) -> Path:
    out = work / f"ungd-{period}"
    # By decade, with each delegation (`label`) as a voice: the 1950s → 1960s section reads the
    # split between change within delegations and new members. Strata add columns only.
    strata = ["--stratify", "label"] if period == "decade" else []
    subprocess.run([binary, "run", "--corpus", str(CORPUS), "--out", str(out), "--period", period,
                    "--quiet", *strata], check=True, stdout=subprocess.DEVNULL)
    return out / "tables"


def episodes(tables: Path, bursts: list, expected: list) -> list:
    """Each expected episode's row among the bursts: the first burst of a matching term that
    overlaps its periods (and, for an episode open at the end, reaches the last period)."""
    periods = [r["period"] for r in rows(tables / "periods.csv")]
    at = {p: i for i, p in enumerate(periods)}
    out = []
    for label, pattern, first, last in expected:
        lo, hi = at[first], at[last] if last else len(periods) - 1
        found = next((i + 1 for i, r in enumerate(bursts)
                      if re.search(pattern, r["term"], re.I)
                      and at[r["start"]] <= hi and at[r["end"]] >= lo
                      and (last or r["ongoing"] == "true")), None)
        span = f"{first}–{last}" if last else f"from {first}, going on"
        out.append(f"{label} ({span}): " + (f"row {found}" if found else "not among the bursts"))
    return out


def long_bursts(tables: Path, bursts: list) -> int:
    """Bursts of the top 30 that cover more than a third of the timeline's periods."""
    filled = sum(1 for r in rows(tables / "periods.csv") if int(r["documents"]) > 0)
    return sum(1 for r in bursts[:30] if 3 * int(r["periods"]) > filled)


def now_line(page: Path) -> str:
    """The summary's line on what is bursting in the last period, as text."""
    text = page.read_text(encoding="utf-8")
    found = re.search(r"<li>((?:Bursting now|Nothing is bursting).*?)</li>", text, re.S)
    if not found:
        return "missing"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def rows(path: Path):
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_verdicts():
    verdicts = {}
    if VERDICTS.exists():
        with VERDICTS.open(encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                kind, period, item, verdict, reason = line.rstrip("\n").split("\t")
                verdicts[(kind, period, item)] = (verdict, reason)
    return verdicts


def judged(lines, summary, verdicts, period, kind, title, items, name, detail):
    """Appends a section's table of items with their verdicts, and its line of the summary."""
    lines += [f"### {title}", "", "| # | item | what the run says | sensible | why |",
              "|---|---|---|---|---|"]
    sensible = 0
    for i, r in enumerate(items, 1):
        verdict, reason = verdicts.get((kind, period, name(r)), ("unjudged", ""))
        sensible += verdict == "yes"
        lines.append(f"| {i} | {name(r)} | {detail(r)} | {verdict} | {reason} |")
    if not items:
        lines.append("| | (none) | | | |")
    lines += ["", f"Sensible: **{sensible} of {len(items)}**.", ""]
    summary.append(f"| {period} | {kind} | {sensible} of {len(items)} |")


def main():
    binary = sys.argv[1]
    work = ROOT / "target" / "trend-judgements"
    work.mkdir(parents=True, exist_ok=True)
    verdicts = load_verdicts()
    lines = ["# Trend judgements: UNGD by year and by decade, SOTU by decade, CPC by congress, "
             "the seeds by year", "",
             "Written by `benches/trend-judgements` from a run of this commit; the verdicts come "
             "from `benches/trend-verdicts.tsv` (a reader's, one line each). An item nobody has "
             "judged is marked *unjudged* and counts as not sensible.", ""]
    summary = []
    for period in ("year", "decade"):
        tables = run(binary, period, work)
        bursts = rows(tables / "bursts.csv")
        shifts = rows(tables / "shifts.csv")
        succession = rows(tables / "succession.csv")
        lines += [f"## UNGD by {period}", ""]
        sections = [
            ("burst", "Top 20 bursts", bursts[:20],
             lambda r: r["term"], lambda r: f"{r['start']}–{r['end']}, level {r['level']}, ×{float(r['lift']):.0f}"),
            ("shift", "Top 10 shifts", shifts[:10],
             lambda r: r["term"],
             lambda r: f"{r['since']}–{r['from']} → {r['to']}–{r['until']}, "
                       f"{100 * float(r['share_before']):.1f}% → {100 * float(r['share_after']):.1f}% of {r['unit']}"),
            ("succession", "Top 10 successions", succession[:10],
             lambda r: f"{r['falling']} → {r['rising']}",
             lambda r: f"handover {r['handover_before']}, similarity {float(r['similarity']):.2f}, "
                       f"slots {float(r['slot_similarity']):.2f}"),
        ]
        for section in sections:
            judged(lines, summary, verdicts, period, *section)
        if period == "decade":
            contrasts = rows(tables / "contrasts.csv")
            influx = [r for r in contrasts
                      if (r["from"], r["to"], r["direction"]) == ("1950s", "1960s", "rising")][:10]
            sections = [("influx", "1950s → 1960s: within delegations or new members", influx,
                         lambda r: r["term"],
                         lambda r: f"z {float(r['z']):.1f}; within the {r['shared_strata']} "
                                   f"delegations heard in both, z {float(r['within_strata_z']):.1f}; "
                                   f"{100 * float(r['one_period_share']):.0f}% of 1960s uses from "
                                   f"new members; {r['driven_by']}")]
            lines += ["The top rising terms from the 1950s to the 1960s, when membership grew "
                      "from 82 to 126 delegations, with what the run says drives each. Sensible: "
                      "the split reads right against the history.", ""]
            for section in sections:
                judged(lines, summary, verdicts, period, *section)
        numbers = [r["term"] for r in bursts[:50]
                   if any(w.lower() in NUMBER_WORDS for w in r["term"].replace("-", " ").split())]
        ongoing = [r["term"] for r in bursts[:20] if r["ongoing"] == "true"]
        opening = [r["term"] for r in bursts[:20] if r["from_start"] == "true"]
        shifted = {r["term"].lower() for r in shifts}
        found = [t for t in LONG_CHANGES if t.lower() in shifted]

        def where(t):
            """Where a long change missing from the shifts shows instead."""
            words = set(t.lower().split())
            for r in bursts:
                if r["term"].lower() == t.lower():
                    return f"{t} (an episode among the bursts, {r['start']}–{r['end']})"
            for r in shifts:
                other = set(r["term"].lower().split())
                if other < words or words < other:
                    return f"{t} (in the shifts as \"{r['term']}\")"
            return t
        known = episodes(tables, bursts, UNGD_EPISODES) if period == "decade" else []
        lines += ["### Counted without a reader", "",
                  *[f"- Expected episode {k}." for k in known],
                  f"- Bursts of the top 30 over more than a third of the timeline: "
                  f"{long_bursts(tables, bursts)}.",
                  f"- Number words among the top 50 bursts: {', '.join(numbers) or 'none'}.",
                  f"- Top 20 bursts going on in the last period: {', '.join(ongoing) or 'none'}; "
                  f"opening the timeline: {', '.join(opening) or 'none'}.",
                  f"- Long changes in the shifts table ({len(shifts)} rows): "
                  f"{', '.join(found) or 'none'}; missing: "
                  f"{', '.join(where(t) for t in LONG_CHANGES if t not in found) or 'none'}.", ""]
    for title, key, corpus, flags, expected in OTHERS:
        out = work / key
        subprocess.run([binary, "run", "--corpus", str(corpus), "--out", str(out), "--quiet",
                        *flags], check=True, stdout=subprocess.DEVNULL)
        tables = out / "tables"
        bursts = rows(tables / "bursts.csv")
        lines += [f"## {title}", ""]
        judged(lines, summary, verdicts, key, "burst", "Top 20 bursts", bursts[:20],
               lambda r: r["term"],
               lambda r: f"{r['start']}–{r['end']}, level {r['level']}, ×{float(r['lift']):.0f}"
                         + (", going on" if r["ongoing"] == "true" else ""))
        lines += ["### Counted without a reader", "",
                  *[f"- Expected episode {k}." for k in episodes(tables, bursts, expected)],
                  f"- Bursts of the top 30 over more than a third of the timeline: "
                  f"{long_bursts(tables, bursts)}.",
                  f"- The page's summary on the last period: {now_line(out / 'report.html')}", ""]
    lines[4:4] = ["| unit | list | sensible |", "|---|---|---|", *summary, ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
