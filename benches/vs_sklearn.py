"""topictide against the scikit-learn pipeline an analyst would write for the same report, whole
process against whole process, on a slice of UNGD.

`slice SRC DST MB` writes the first documents of UNGD (file order) holding MB megabytes of text.
`analyst SLICE OUT K SEED` is the analyst's pipeline, run as its own process: read the JSON
lines, split paragraphs, TF-IDF (English stop words, min_df 5, max_df 0.5, sublinear tf), LSA
(TruncatedSVD, 50 components) and k-means (k-means++, 10 starts, as topictide below 20,000
passages and 4 above), each topic's top terms by c-TF-IDF, per-year counts of words and
two-word phrases (CountVectorizer), the terms rising and falling most from the first year to
the last by log-odds with an informative Dirichlet prior (Monroe et al. 2008), topic shares per
year, and the tables (CSV) and two charts (SVG) a report needs. `compare BINARY SLICE K RUNS`
runs both `RUNS` times, alternated, and prints medians and the ratio.
"""

import csv
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def slice_corpus(src: str, dst: str, megabytes: float) -> None:
    budget = int(megabytes * 1_000_000)
    used = 0
    with gzip.open(src, "rt", encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            row = json.loads(line)
            used += len(row["text"].encode("utf-8"))
            out.write(line)
            if used >= budget:
                break
    print(f"{dst}: {used / 1e6:.1f} MB of text")


def analyst(table: str, out: str, k: int, seed: int) -> None:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.preprocessing import normalize

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in open(table, encoding="utf-8")]
    passages, years = [], []
    for r in rows:
        year = int(r["year"]) if r.get("year") is not None else int(str(r["date"])[:4])
        for p in r["text"].split("\n"):
            if len(p.split()) >= 5:
                passages.append(p)
                years.append(year)
    years = np.array(years)

    tfidf = TfidfVectorizer(stop_words="english", min_df=5, max_df=0.5, sublinear_tf=True)
    x = tfidf.fit_transform(passages)
    z = normalize(TruncatedSVD(n_components=50, random_state=seed).fit_transform(x))
    n_init = 10 if len(passages) <= 20_000 else 4
    labels = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit_predict(z)

    counts = CountVectorizer(stop_words="english", min_df=5, ngram_range=(1, 2))
    c = counts.fit_transform(passages).tocsr()
    vocab = np.array(counts.get_feature_names_out())
    # c-TF-IDF: each topic's term counts over all topics'.
    per_topic = np.vstack([np.asarray(c[labels == t].sum(axis=0)).ravel() for t in range(k)])
    tf = per_topic / np.maximum(per_topic.sum(axis=1, keepdims=True), 1)
    idf = np.log(1 + per_topic.sum(axis=1).mean() / np.maximum(per_topic.sum(axis=0), 1))
    top = np.argsort(-(tf * idf), axis=1)[:, :10]
    with open(out_dir / "topics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["topic", "size", "terms"])
        for t in range(k):
            w.writerow([t, int((labels == t).sum()), "; ".join(vocab[top[t]])])

    year_list = sorted(set(years.tolist()))
    per_year = np.vstack([np.asarray(c[years == y].sum(axis=0)).ravel() for y in year_list])
    with open(out_dir / "terms_by_year.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["year", "term", "count"])
        for i, y in enumerate(year_list):
            for j in np.nonzero(per_year[i])[0]:
                w.writerow([y, vocab[j], int(per_year[i, j])])

    prior = per_year.sum(axis=0).astype(float)
    a0 = prior.sum()
    ya, yb = per_year[0].astype(float), per_year[-1].astype(float)
    na, nb = ya.sum(), yb.sum()
    delta = np.log((yb + prior) / (nb + a0 - yb - prior)) - np.log((ya + prior) / (na + a0 - ya - prior))
    zscore = delta / np.sqrt(1 / (ya + prior) + 1 / (yb + prior))
    order = np.argsort(-zscore)
    with open(out_dir / "changes.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["term", "z", "count_first", "count_last"])
        for j in list(order[:30]) + list(order[-30:]):
            w.writerow([vocab[j], f"{zscore[j]:.3f}", int(ya[j]), int(yb[j])])

    share = np.vstack([np.bincount(labels[years == y], minlength=k) / max((years == y).sum(), 1) for y in year_list])
    fig, ax = plt.subplots(figsize=(10, 6))
    ax.stackplot(year_list, share.T)
    ax.set_title("Topic prevalence over time")
    fig.savefig(out_dir / "topic_share.svg")
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(10, 6))
    for j in list(order[:3]) + list(order[-2:]):
        ax.plot(year_list, per_year[:, j] / np.maximum(per_year.sum(axis=1), 1) * 1000, label=vocab[j])
    ax.legend()
    fig.savefig(out_dir / "tracked_terms.svg")
    plt.close(fig)


def compare(binary: str, table: str, k: int, runs: int) -> None:
    python = sys.executable
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as work:
        for i in range(runs):
            t0 = time.perf_counter()
            subprocess.run(
                [binary, "run", "--quiet", "--corpus", table, "--out", f"{work}/tt{i}", "--k", str(k)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([python, __file__, "analyst", table, f"{work}/sk{i}", str(k), "1"], check=True)
            theirs.append(time.perf_counter() - t0)
            print(f"run {i + 1}: topictide {ours[-1]:.2f} s, scikit-learn pipeline {theirs[-1]:.2f} s")
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"median of {runs}: topictide {a:.2f} s, scikit-learn pipeline {b:.2f} s: {b / a:.1f}x")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "slice":
        slice_corpus(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    elif command == "analyst":
        analyst(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif command == "compare":
        compare(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(f"unknown command {command}")
