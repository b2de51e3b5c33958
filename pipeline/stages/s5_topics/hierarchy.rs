//! Which topics are alike: the topics' c-TF-IDF vectors clustered by average linkage (UPGMA,
//! through `kodama`) on cosine distance, as BERTopic's `hierarchical_topics` does. The same
//! merges reduce the number of topics (`topics.reduce_to`, `topics.merge_similarity`).

use crate::artifacts::node_members;
use kodama::{linkage, Method};
use ndarray::Array2;

/// One join: the two nodes (topics `0..k`, then the node of step `i` as `k + i`) and their
/// distance. Steps come closest first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Join {
    /// The first node (the smaller number).
    pub left: usize,
    /// The second node.
    pub right: usize,
    /// Their average cosine distance.
    pub distance: f64,
}

/// The `k − 1` joins of the `k` rows of `weights`, by cosine distance and average linkage. A row
/// of zeros is at distance 1 from every other.
pub fn joins(weights: &Array2<f64>) -> Vec<Join> {
    let k = weights.nrows();
    if k < 2 {
        return Vec::new();
    }
    let norms: Vec<f64> = weights
        .rows()
        .into_iter()
        .map(|r| r.dot(&r).sqrt())
        .collect();
    let mut condensed = Vec::with_capacity(k * (k - 1) / 2);
    for i in 0..k {
        for j in i + 1..k {
            let cosine = if norms[i] > 0.0 && norms[j] > 0.0 {
                weights.row(i).dot(&weights.row(j)) / (norms[i] * norms[j])
            } else {
                0.0
            };
            condensed.push((1.0 - cosine).max(0.0));
        }
    }
    linkage(&mut condensed, k, Method::Average)
        .steps()
        .iter()
        .map(|s| Join {
            left: s.cluster1,
            right: s.cluster2,
            distance: s.dissimilarity,
        })
        .collect()
}

fn pairs(joins: &[Join]) -> impl Iterator<Item = (usize, usize)> + '_ {
    joins.iter().map(|j| (j.left, j.right))
}

/// Each topic's group after the first `merges` joins, groups numbered by their smallest topic.
pub fn cut(k: usize, joins: &[Join], merges: usize) -> Vec<usize> {
    let nodes = node_members(k, pairs(&joins[..merges.min(joins.len())]));
    let mut group = vec![usize::MAX; k];
    // Later nodes hold earlier ones: the last node to hold a topic is its group.
    for node in nodes.iter().rev() {
        let head = node[0];
        for &t in node {
            if group[t] == usize::MAX {
                group[t] = head;
            }
        }
    }
    let mut heads: Vec<usize> = group.clone();
    heads.sort_unstable();
    heads.dedup();
    group
        .iter()
        .map(|g| heads.binary_search(g).expect("a head"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn alike_topics_join_first_and_cuts_follow_the_joins() {
        // Topics 0 and 2 share their words; 1 and 3 share theirs; 4 stands apart.
        let w = array![
            [1.0, 1.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 1.0, 1.0, 0.0],
            [1.0, 0.9, 0.0, 0.0, 0.1],
            [0.0, 0.1, 1.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 0.1, 1.0]
        ];
        let j = joins(&w);
        assert_eq!(j.len(), 4);
        let first: Vec<(usize, usize)> = j[..2].iter().map(|j| (j.left, j.right)).collect();
        assert!(first.contains(&(0, 2)) && first.contains(&(1, 3)), "{j:?}");
        assert!(j.windows(2).all(|p| p[0].distance <= p[1].distance));
        assert_eq!(cut(5, &j, 0), vec![0, 1, 2, 3, 4]);
        assert_eq!(cut(5, &j, 2), vec![0, 1, 0, 1, 2]);
        assert_eq!(cut(5, &j, 4), vec![0, 0, 0, 0, 0]);
        assert_eq!(
            node_members(5, pairs(&j)).last().unwrap(),
            &vec![0, 1, 2, 3, 4]
        );
    }
}
