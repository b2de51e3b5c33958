//! How learning's summaries and read shards travel between machines: a stream of `u32` as
//! bytes, a phrase key in two halves, and sums of counts kept sorted by key.

use serde::{Deserialize, Serialize};

/// A stream of `u32` that serializes as bytes (little-endian), not as a list of numbers: a
/// shard's word ids are tens of millions, and MessagePack reads bytes at memory speed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Packed(pub(super) Vec<u32>);

impl Serialize for Packed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = self.0.iter().flat_map(|v| v.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }
}

impl<'de> Deserialize<'de> for Packed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Packed, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Packed;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes holding u32 values, little-endian")
            }
            fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Packed, E> {
                if !b.len().is_multiple_of(4) {
                    return Err(E::invalid_length(b.len(), &self));
                }
                Ok(Packed(
                    b.chunks_exact(4)
                        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect(),
                ))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, b: Vec<u8>) -> Result<Packed, E> {
                self.visit_bytes(&b)
            }
        }
        d.deserialize_bytes(Bytes)
    }
}

pub(super) fn halves(key: u128) -> [u64; 2] {
    [(key >> 64) as u64, key as u64]
}

pub(super) fn whole(key: [u64; 2]) -> u128 {
    (key[0] as u128) << 64 | key[1] as u128
}

/// Adds `b` to `a`, key by key: both sorted by key, as every summary keeps them, and so is the
/// sum (one pass over both, no hashing: the two-word candidates of a shard are millions).
pub(super) fn add_sorted<K: Ord + Copy>(a: Vec<(K, u64)>, b: Vec<(K, u64)>) -> Vec<(K, u64)> {
    debug_assert!(a.windows(2).all(|w| w[0].0 < w[1].0));
    debug_assert!(b.windows(2).all(|w| w[0].0 < w[1].0));
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match x.0.cmp(&y.0) {
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
                std::cmp::Ordering::Equal => {
                    let (k, n) = a.next().expect("peeked");
                    let (_, m) = b.next().expect("peeked");
                    Some((k, n + m))
                }
            },
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        out.extend(next);
    }
    out
}

pub(super) fn add_dense<T: Copy + Default + std::ops::AddAssign>(
    mut a: Vec<T>,
    b: Vec<T>,
) -> Vec<T> {
    if a.len() < b.len() {
        a.resize(b.len(), T::default());
    }
    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_counts_add_key_by_key() {
        let a = vec![(1u32, 2), (4, 1), (9, 5)];
        let b = vec![(0u32, 1), (4, 3), (10, 1)];
        assert_eq!(
            add_sorted(a.clone(), b.clone()),
            vec![(0, 1), (1, 2), (4, 4), (9, 5), (10, 1)]
        );
        assert_eq!(add_sorted(a.clone(), b.clone()), add_sorted(b, a.clone()));
        assert_eq!(add_sorted(a.clone(), Vec::new()), a);
    }

    #[test]
    fn a_packed_stream_reads_back_and_refuses_a_torn_one() {
        let ids = Packed(vec![0, 1, u32::MAX, 1 << 31 | 7]);
        let bytes = rmp_serde::to_vec(&ids).unwrap();
        assert_eq!(rmp_serde::from_slice::<Packed>(&bytes).unwrap(), ids);
        // Bytes, not numbers: four values take 16 bytes and a short header.
        assert!(bytes.len() <= 16 + 2, "{}", bytes.len());
        let torn = rmp_serde::to_vec(&serde_bytes_of(&[1, 2, 3])).unwrap();
        assert!(rmp_serde::from_slice::<Packed>(&torn).is_err());
    }

    /// Three bytes as MessagePack bin, as a torn stream would arrive.
    fn serde_bytes_of(b: &[u8]) -> impl Serialize + '_ {
        struct Raw<'a>(&'a [u8]);
        impl Serialize for Raw<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        Raw(b)
    }
}
