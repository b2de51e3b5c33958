//! Sums of floating-point numbers that come out the same whatever order they are added in, so
//! that shards summed apart and merged give a run's figures bit for bit.
//!
//! Each addend is rounded once to a multiple of 2⁻⁹⁰ and added as an integer; integer sums are
//! associative and commutative, and the total is rounded to the nearest `f64` once, at the end.
//! An addend below 2⁻³⁷ in size loses the bits under 2⁻⁹⁰ (the same loss in every order); the
//! sum must stay below 2³⁶ in size, which unit vectors' coordinates and squared distances
//! (at most 4 each) keep for 2³⁴ passages.

use serde::{Deserialize, Serialize};

/// 2⁹⁰, exactly.
const SCALE: f64 = (1u128 << 90) as f64;

/// A sum of `f64` values, exact to 2⁻⁹⁰, that does not depend on their order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedSum(i128);

impl FixedSum {
    /// Adds `v` (at most 2³⁶ in size).
    pub fn add(&mut self, v: f64) {
        debug_assert!(
            v.abs() < (1u64 << 36) as f64,
            "{v} is too large to sum exactly"
        );
        self.0 += (v * SCALE).round() as i128;
    }

    /// The sum of two sums.
    pub fn merge(self, other: FixedSum) -> FixedSum {
        FixedSum(self.0 + other.0)
    }

    /// The sum, rounded to the nearest `f64`.
    pub fn value(self) -> f64 {
        self.0 as f64 / SCALE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sum(values: impl IntoIterator<Item = f64>) -> FixedSum {
        values.into_iter().fold(FixedSum::default(), |mut s, v| {
            s.add(v);
            s
        })
    }

    #[test]
    fn floats_that_lose_bits_added_one_way_sum_exactly_any_way() {
        // 2⁻⁶⁰ + 1 − 1 is 0 in f64 added left to right and 2⁻⁶⁰ added the other way.
        let values = [2f64.powi(-60), 1.0, -1.0];
        assert_ne!(values.iter().sum::<f64>(), values.iter().rev().sum::<f64>());
        assert_eq!(sum(values).value(), 2f64.powi(-60));
        assert_eq!(sum(values.iter().rev().copied()).value(), 2f64.powi(-60));
    }

    proptest! {
        #[test]
        fn any_order_and_grouping_gives_the_same_bits(
            values in proptest::collection::vec(-1.0f64..1.0, 0..200),
            cut in 0usize..200,
        ) {
            let whole = sum(values.iter().copied());
            let cut = cut.min(values.len());
            let (a, b) = values.split_at(cut);
            let parts = sum(b.iter().rev().copied()).merge(sum(a.iter().copied()));
            prop_assert_eq!(whole, parts);
            prop_assert_eq!(whole.value().to_bits(), parts.value().to_bits());
            let exact: f64 = values.iter().sum();
            prop_assert!((whole.value() - exact).abs() < 1e-12);
        }
    }
}
