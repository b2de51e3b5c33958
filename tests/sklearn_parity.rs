//! TF-IDF parity with scikit-learn: `tests/fixtures/sklearn_tfidf.json.gz` holds
//! `TfidfVectorizer`'s output on a fixed token stream for every combination of the options
//! topictide mirrors (made by `scripts/sklearn-fixture`, scikit-learn pinned in
//! `scripts/requirements.txt`). Values must agree to 1e-9, and the vocabulary in order.

use std::io::Read;

use serde_json::Value;
use topictide::artifacts::Norm;
use topictide::config::{Df, VectorizeConfig};
use topictide::stages::{s3_tokenize, s4_vectorize};

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sklearn_tfidf.json.gz"
    );
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn df(v: &Value) -> Df {
    match (v.get("count"), v.get("fraction")) {
        (Some(c), _) => Df::Count(c.as_u64().unwrap()),
        (_, Some(f)) => Df::Fraction(f.as_f64().unwrap()),
        _ => panic!("bad df {v}"),
    }
}

fn settings(o: &Value) -> VectorizeConfig {
    VectorizeConfig {
        smooth_idf: o["smooth_idf"].as_bool().unwrap(),
        sublinear_tf: o["sublinear_tf"].as_bool().unwrap(),
        norm: match o["norm"].as_str().unwrap() {
            "l2" => Norm::L2,
            "l1" => Norm::L1,
            _ => Norm::None,
        },
        min_df: Some(df(&o["min_df"])),
        max_df: df(&o["max_df"]),
        max_features: o["max_features"].as_u64().map(|n| n as usize),
    }
}

/// Compares a sparse matrix with scikit-learn's CSR arrays, entry by entry.
fn assert_same(what: &str, ours: &topictide::artifacts::Matrix, theirs: &Value) {
    let indptr: Vec<usize> = serde_json::from_value(theirs["indptr"].clone()).unwrap();
    let indices: Vec<usize> = serde_json::from_value(theirs["indices"].clone()).unwrap();
    let data: Vec<f64> = serde_json::from_value(theirs["data"].clone()).unwrap();
    assert_eq!(ours.rows() + 1, indptr.len(), "{what}: rows");
    for (r, row) in ours.outer_iterator().enumerate() {
        let want: Vec<(usize, f64)> = (indptr[r]..indptr[r + 1])
            .map(|i| (indices[i], data[i]))
            .collect();
        let got: Vec<(usize, f64)> = row.iter().map(|(c, &v)| (c, v)).collect();
        assert_eq!(
            got.iter().map(|e| e.0).collect::<Vec<_>>(),
            want.iter().map(|e| e.0).collect::<Vec<_>>(),
            "{what}: columns of row {r}"
        );
        for ((c, g), (_, w)) in got.iter().zip(&want) {
            assert!(
                (g - w).abs() <= 1e-9,
                "{what}: row {r} column {c}: {g} vs {w}"
            );
        }
    }
}

#[test]
fn tfidf_equals_scikit_learn_for_every_option() {
    let f = fixture();
    let split = |key: &str| -> Vec<Vec<String>> {
        f[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().split(' ').map(str::to_string).collect())
            .collect()
    };
    let (train, new) = (split("train"), split("new"));
    let lists: Vec<Vec<&str>> = train
        .iter()
        .map(|d| d.iter().map(String::as_str).collect())
        .collect();
    let tokens = s3_tokenize::from_token_lists(&lists);
    let cases = f["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 96);
    for case in cases {
        let cfg = settings(&case["options"]);
        let what = case["options"].to_string();
        let fitted = s4_vectorize::vectorize(&tokens, &cfg);
        if case.get("error").is_some() {
            assert!(fitted.is_err(), "{what}: scikit-learn found no terms");
            continue;
        }
        let fitted = fitted.unwrap_or_else(|e| panic!("{what}: {e}"));
        let vocabulary: Vec<&str> = fitted
            .features
            .iter()
            .map(|&t| tokens.vocabulary.terms[t as usize].key.as_str())
            .collect();
        let want: Vec<&str> = case["vocabulary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(vocabulary, want, "{what}: vocabulary");
        let idf: Vec<f64> = serde_json::from_value(case["idf"].clone()).unwrap();
        for (a, b) in fitted.idf.iter().zip(&idf) {
            assert!((a - b).abs() <= 1e-9, "{what}: idf {a} vs {b}");
        }
        assert_same(
            &format!("{what} fit"),
            &fitted.transform(&tokens.bags),
            &case["fit"],
        );
        // New text through the fitted idf: unknown tokens are left out.
        let bags: Vec<Vec<(u32, u32)>> = new
            .iter()
            .map(|d| {
                let mut ids: Vec<u32> = d
                    .iter()
                    .filter_map(|w| tokens.vocabulary.id_of_key(w))
                    .collect();
                ids.sort_unstable();
                let mut bag: Vec<(u32, u32)> = Vec::new();
                for t in ids {
                    match bag.last_mut() {
                        Some((l, n)) if *l == t => *n += 1,
                        _ => bag.push((t, 1)),
                    }
                }
                bag
            })
            .collect();
        assert_same(
            &format!("{what} transform"),
            &fitted.transform(&bags),
            &case["transform"],
        );
    }
}
