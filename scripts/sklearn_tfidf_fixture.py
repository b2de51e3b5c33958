"""Writes tests/fixtures/sklearn_tfidf.json.gz: scikit-learn's TfidfVectorizer on a fixed
token stream, for every combination of the options topictide mirrors.

Run it with `scripts/sklearn-fixture` (which makes the virtual environment). The Rust test
`tests/sklearn_parity.rs` reads the fixture and compares topictide's matrix to it, value by
value (1e-9) and in vocabulary order.

The documents are already tokens (space-separated), so both sides see the same stream. For
`max_features`, only limits with no tie in total frequency at the cut are used: numpy's
`argsort` (quicksort) leaves the order of equal totals unspecified.
"""

import gzip
import itertools
import json
import random
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer


def corpus(rng, n_docs, vocab):
    """Documents of Zipf-distributed tokens, a few with repeats, some very short."""
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    docs = []
    for d in range(n_docs):
        length = rng.choice([1, 3, 8, 15, 25, 40])
        docs.append(" ".join(rng.choices(vocab, weights=weights, k=length)))
    return docs


def untied_limit(docs, min_df, max_df, analyzer):
    """A max_features value near 15 whose cut, among the terms the df cut-offs keep, falls
    between two different total frequencies."""
    from sklearn.feature_extraction.text import CountVectorizer

    counts = CountVectorizer(min_df=min_df, max_df=max_df, **analyzer).fit_transform(docs)
    ranked = sorted(np.asarray(counts.sum(axis=0)).ravel().tolist(), reverse=True)
    untied = [k for k in range(2, len(ranked)) if ranked[k - 1] != ranked[k]]
    return min(untied, key=lambda k: abs(k - 15))


def main(out):
    rng = random.Random(20261122)
    vocab = [f"w{i:02d}" for i in range(30)] + ["data", "security", "cybersecurity", "état", "日本"]
    train = corpus(rng, 24, vocab)
    new = corpus(rng, 6, vocab + ["unseen"])
    analyzer = dict(lowercase=False, token_pattern=None, tokenizer=str.split)
    dfs = [
        (1, 1.0),  # no cut-off
        (2, 0.9),  # int min, fraction max
        (0.1, 12),  # fraction min, int max
        (3, 10),  # both ints
    ]
    cases = []
    for smooth, sublinear, norm, (min_df, max_df), limited in itertools.product(
        [True, False], [True, False], ["l2", "l1", None], dfs, [False, True]
    ):
        max_features = untied_limit(train, min_df, max_df, analyzer) if limited else None
        v = TfidfVectorizer(
            smooth_idf=smooth,
            sublinear_tf=sublinear,
            norm=norm,
            min_df=min_df,
            max_df=max_df,
            max_features=max_features,
            **analyzer,
        )
        try:
            x = v.fit_transform(train).tocsr()
        except ValueError as e:  # every term pruned
            cases.append(dict(options=options(smooth, sublinear, norm, min_df, max_df, max_features), error=str(e)))
            continue
        y = v.transform(new).tocsr()
        x.sort_indices()
        y.sort_indices()
        cases.append(
            dict(
                options=options(smooth, sublinear, norm, min_df, max_df, max_features),
                vocabulary=list(v.get_feature_names_out()),
                idf=v.idf_.tolist(),
                fit=csr(x),
                transform=csr(y),
            )
        )
    fixture = dict(
        generator="scripts/sklearn_tfidf_fixture.py",
        sklearn=sklearn.__version__,
        numpy=np.__version__,
        train=train,
        new=new,
        cases=cases,
    )
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{out}: {len(cases)} cases, scikit-learn {sklearn.__version__}")


def options(smooth, sublinear, norm, min_df, max_df, max_features):
    df = lambda v: {"fraction": v} if isinstance(v, float) else {"count": v}
    return dict(
        smooth_idf=smooth,
        sublinear_tf=sublinear,
        norm=norm or "none",
        min_df=df(min_df),
        max_df=df(max_df),
        max_features=max_features,
    )


def csr(m):
    return dict(indptr=m.indptr.tolist(), indices=m.indices.tolist(), data=[float(v) for v in m.data])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
