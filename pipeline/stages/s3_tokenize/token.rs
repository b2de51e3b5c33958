//! A token of a passage's stream, and the phrase keys made of tokens' slots. The streams are
//! made of tokens ([`super::streams`]); phrases are learnt and found by their keys
//! ([`super::phrases`]).

/// A token of a passage's stream as the passes after [`super::streams::stream`] read it: its slot in a phrase
/// key (stem id + 1, or [`CONNECTOR_SLOT`] | connector index), with [`TOKEN_BREAK`]
/// when a break stands before it.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Token(pub(super) u32);

/// Flag on a [`Token`]: a break stands between it and the token before. Stem ids stay below it.
pub(super) const TOKEN_BREAK: u32 = 1 << 30;

impl Token {
    pub(super) fn slot(self) -> u32 {
        self.0 & !TOKEN_BREAK
    }

    pub(super) fn breaks(self) -> bool {
        self.0 & TOKEN_BREAK != 0
    }

    pub(super) fn is_connector(self) -> bool {
        self.0 & CONNECTOR_SLOT != 0
    }

    /// The stem id of a content word.
    pub(super) fn stem(self) -> u32 {
        self.slot() - 1
    }

    /// Tokens read from a spilled stream.
    pub(super) fn cast(values: &[u32]) -> &[Token] {
        // SAFETY: Token is a transparent u32.
        unsafe { std::slice::from_raw_parts(values.as_ptr().cast::<Token>(), values.len()) }
    }
}

/// Slot of a connector word in a key (a content word's slot is its stem id + 1).
pub(super) const CONNECTOR_SLOT: u32 = 1 << 31;

/// Packs up to four non-zero slots into one key, first slot in the highest bits used.
pub(super) fn pack(slots: impl IntoIterator<Item = u32>) -> u128 {
    slots
        .into_iter()
        .fold(0u128, |key, s| (key << 32) | s as u128)
}

/// The slots of a key, first first.
pub(super) fn unpack(key: u128) -> Vec<u32> {
    let mut slots: Vec<u32> = (0..4)
        .map(|i| (key >> (32 * i)) as u32)
        .take_while(|&s| s != 0)
        .collect();
    slots.reverse();
    slots
}

/// What a slot stands for.
pub(super) enum Slot {
    Stem(u32),
    Connector(u32),
}

pub(super) fn slot_kind(s: u32) -> Slot {
    if s & CONNECTOR_SLOT != 0 {
        Slot::Connector(s & !CONNECTOR_SLOT)
    } else {
        Slot::Stem(s - 1)
    }
}

/// Number of content words in a key.
pub(super) fn content_words(key: u128) -> usize {
    unpack(key)
        .into_iter()
        .filter(|&s| matches!(slot_kind(s), Slot::Stem(_)))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_pack_and_unpack() {
        let k = pack([3, CONNECTOR_SLOT | 2, 9]);
        assert_eq!(unpack(k), vec![3, CONNECTOR_SLOT | 2, 9]);
        assert_ne!(pack([3, 9]), pack([9, 3]));
        assert_ne!(pack([3]), pack([3, 3]));
    }
}
