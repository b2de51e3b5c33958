//! Month and weekday names, shared by the stages that read dates in text (ingest's date
//! reading, segment's date lines) and trends (which leave calendar words out of bursts).
//! English only.

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether a word names a month or a day of the week (`June`, `Sept.`, `Monday`).
pub fn is_calendar_word(word: &str) -> bool {
    month_of(word).is_some() || WEEKDAYS.contains(&word.to_lowercase().as_str())
}

/// The month (1–12) a word names: `Mar`, `mar.`, `March`, `Sept`; `None` otherwise.
pub fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == w)
        .or_else(|| MONTH_NAMES.iter().position(|m| *m == w))
        .or_else(|| (w == "sept").then_some(8))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::month_of;

    #[test]
    fn month_words() {
        assert_eq!(month_of("Mar"), Some(3));
        assert_eq!(month_of("sept."), Some(9));
        assert!(super::is_calendar_word("Monday") && super::is_calendar_word("June"));
        assert!(!super::is_calendar_word("security"));
        assert_eq!(month_of("December"), Some(12));
        assert_eq!(month_of("mayor"), None);
    }
}
