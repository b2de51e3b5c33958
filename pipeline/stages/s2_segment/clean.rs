//! Finds page furniture: lines that are not part of what a document says. General rules about
//! what web pages put around an article, and corpus statistics (lines many documents share,
//! lines a document repeats); never a list of particular documents' lines.
//!
//! Cleaning only marks lines; segmenting then treats a marked line as a blank one. Offsets into
//! the original text stay valid, and every removed line is reported with its rule.

use std::borrow::Cow;
use std::collections::HashSet;

use std::ops::Range;

use super::counts::{line_key, Furniture, LineKey};
use crate::artifacts::{Corpus, Rule};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// Interface strings of web pages and readers' apps, lower-cased, punctuation stripped. Common
/// CMS and news-site templates; English, and the skip links and controls of a few other
/// languages' sites.
const UI_STRINGS: &[&str] = &[
    "close",
    "menu",
    "search",
    "top",
    "back to top",
    "go to top",
    "skip to content",
    "skip to main content",
    "skip navigation",
    "main menu",
    "navigation",
    "text size",
    "font size",
    "print",
    "print this page",
    "email",
    "share",
    "share this",
    "share this article",
    "tweet",
    "advertisement",
    "sponsored",
    "read more",
    "continue reading",
    "load more",
    "show more",
    "related",
    "related articles",
    "related news",
    "related stories",
    "more news",
    "latest news",
    "recent news",
    "recent posts",
    "popular",
    "most read",
    "most popular",
    "trending",
    "sign in",
    "log in",
    "login",
    "register",
    "subscribe",
    "newsletter",
    "special coverage",
    "home",
    "next",
    "previous",
    "next article",
    "previous article",
    "cookie settings",
    "accept cookies",
    "privacy policy",
    "terms of use",
    "contact us",
    "about us",
    "listen",
    "listen to this article",
    "zoom",
    "enlarge",
    "photo gallery",
    "본문 바로가기",
    "주요 메뉴 바로가기",
    "메뉴 바로가기",
    "닫기",
    "글자크기",
    "跳转到主要内容",
    "返回顶部",
    "分享",
    "打印",
    "关闭",
    "zum inhalt springen",
    "aller au contenu",
    "ir al contenido",
];

static UI_SET: std::sync::LazyLock<HashSet<&'static str>> =
    std::sync::LazyLock::new(|| UI_STRINGS.iter().copied().collect());

/// Beginnings of share, follow and subscribe prompts (lines of at most eight words).
const SOCIAL_PREFIXES: &[&str] = &[
    "share on",
    "share this",
    "follow us",
    "join us on",
    "like us on",
    "subscribe to",
    "sign up for",
    "find us on",
    "connect with us",
    "tweet this",
    "share via",
];

/// Lines of comment forms.
const COMMENT_FORM: &[&str] = &[
    "leave a reply",
    "leave a comment",
    "post comment",
    "cancel reply",
    "comments",
    "your email address will not be published",
    "required fields are marked",
    "you must be logged in to post a comment",
    "add a comment",
    "name",
    "email",
    "website",
    "save my name email and website in this browser for the next time i comment",
];

/// Parameters of cleaning.
#[derive(Debug, Clone, Copy)]
pub struct CleanParams {
    /// A line shared by at least this many documents is boilerplate…
    pub cross_document_min: usize,
    /// …and by at least this share of all documents.
    pub cross_document_share: f64,
}

/// Lower-cased, white space folded, surrounding punctuation and bullets stripped.
pub(super) fn normalize(line: &str) -> String {
    if line.is_ascii() {
        return normalize_ascii(line);
    }
    normalize_any(line)
}

fn normalize_any(line: &str) -> String {
    let folded: String = line
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    folded
        .trim_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .filter(|c| !matches!(c, ',' | '*' | '!' | '.' | ':' | '|'))
        .collect()
}

/// [`normalize`] of an ASCII line, in one pass and one string: the words joined by single
/// spaces, lower-cased, without the marks at either end that are not letters or digits, and
/// without `,*!.:|`.
fn normalize_ascii(line: &str) -> String {
    let b = line.as_bytes();
    let Some(core) = ascii_core(b) else {
        return String::new();
    };
    let mut out = Vec::with_capacity(core.len());
    let mut gap = false;
    for &c in &b[core] {
        match ASCII_CLASS[c as usize] {
            Class::Space => gap = true,
            class => {
                if std::mem::take(&mut gap) {
                    out.push(b' ');
                }
                if matches!(class, Class::Keep) {
                    out.push(c.to_ascii_lowercase());
                }
            }
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// The range of ASCII text `b` from its first letter or digit to its last; none when it has
/// neither.
pub(super) fn ascii_core(b: &[u8]) -> Option<Range<usize>> {
    let start = b.iter().position(u8::is_ascii_alphanumeric)?;
    let end = b
        .iter()
        .rposition(u8::is_ascii_alphanumeric)
        .expect("one exists")
        + 1;
    Some(start..end)
}

/// Whether ASCII byte `c` is white space as `char::is_whitespace` reads it: tab, line feed,
/// vertical tab, form feed, return, space (`u8::is_ascii_whitespace` leaves out the vertical
/// tab).
pub(super) const fn ascii_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// What [`normalize_ascii`] does with a byte.
#[derive(Clone, Copy)]
enum Class {
    Keep,
    /// White space ([`ascii_space`]).
    Space,
    /// One of `,*!.:|`.
    Drop,
}

static ASCII_CLASS: [Class; 128] = {
    let mut classes = [Class::Keep; 128];
    let mut c = 0;
    while c < 128 {
        classes[c] = match c as u8 {
            b if ascii_space(b) => Class::Space,
            b',' | b'*' | b'!' | b'.' | b':' | b'|' => Class::Drop,
            _ => Class::Keep,
        };
        c += 1;
    }
    classes
};

pub(super) fn words(line: &str) -> usize {
    line.split_whitespace().count()
}

fn is_identifier(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.len() > 40 || t.contains(char::is_whitespace) {
        return false;
    }
    let ascii_ident = t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let snake = t.contains('_');
    let camel = t
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    ascii_ident && (snake || camel)
}

fn is_copyright(norm: &str, raw: &str) -> bool {
    norm.contains("all rights reserved")
        || raw.trim_start().starts_with('©')
        || norm.starts_with("copyright ")
        || (has_copyright_sign(raw) && words(raw) <= 12)
}

/// A `©` standing as a symbol, not inside a word (mis-decoded text turns `é` into `Ã©`).
fn has_copyright_sign(raw: &str) -> bool {
    if !raw.contains('©') {
        return false;
    }
    let chars: Vec<char> = raw.chars().collect();
    chars
        .iter()
        .enumerate()
        .any(|(i, &c)| c == '©' && (i == 0 || !chars[i - 1].is_alphanumeric()))
}

fn is_caption_credit(norm: &str, raw: &str) -> bool {
    // Every credit below holds "photo" or "image", letters that normalising keeps (lower-cased):
    // a line whose `norm` holds neither is none, and is not searched eight times.
    let named = |word: &str| memchr::memmem::find(norm.as_bytes(), word.as_bytes()).is_some();
    if !(named("photo") || named("image")) || words(raw) > 12 {
        return false;
    }
    const CREDITS: [&str; 8] = [
        "photo:",
        "photo by",
        "photo credit",
        "image source",
        "image:",
        "photograph:",
        "(photo",
        "[photo",
    ];
    if raw.is_ascii() {
        // Lower-casing ASCII changes no length, so the patterns are sought in place.
        let b = raw.as_bytes();
        return CREDITS.iter().any(|p| {
            b.windows(p.len())
                .any(|w| w.eq_ignore_ascii_case(p.as_bytes()))
        });
    }
    let lower = raw.to_lowercase();
    CREDITS.iter().any(|p| lower.contains(p))
}

/// A bare date line: "08 May", "May 8", "2021-07-12", "12 Apr 2021".
fn is_date_line(norm: &str) -> bool {
    // At most three tokens can make one; more are not gathered.
    let mut all = norm.split([' ', '-', '/', ',']).filter(|t| !t.is_empty());
    let mut held = [""; 3];
    let mut len = 0;
    for t in all.by_ref().take(3) {
        held[len] = t;
        len += 1;
    }
    if all.next().is_some() {
        return false;
    }
    let toks = &held[..len];
    let numeric = |t: &&str| t.chars().all(|c| c.is_ascii_digit());
    let month = |t: &&str| crate::calendar::month_of(t).is_some();
    match toks.len() {
        // "08 May", "May 8", "12 Apr 2021"
        2 | 3 if toks.iter().any(month) => {
            toks.iter().all(|t| numeric(t) || month(t)) && toks.iter().any(numeric)
        }
        // "2021-07-12", "13/01/2021"
        3 => toks.iter().all(numeric) && toks.iter().any(|t| t.len() == 4),
        _ => false,
    }
}

/// A truncated headline ("Are Portable Power Banks the...").
fn is_truncated_headline(raw: &str) -> bool {
    let t = raw.trim();
    (t.ends_with("...") || t.ends_with('…')) && words(t) <= 12
}

/// The line without bracketed asides (`[Image source=…]`), so that a title repeated with a
/// credit counts as repeated.
fn without_brackets(n: &str) -> String {
    if !n.contains(['[', ']'])
        && !n.contains("  ")
        && !n.contains(|c: char| c.is_whitespace() && c != ' ')
        && n.trim() == n
    {
        return n.to_string();
    }
    let mut out = String::with_capacity(n.len());
    let mut depth = 0usize;
    for c in n.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether line `b` continues the sentence of line `a` (hard wrapping): `a` does not end a
/// clause, and either `a` ends in a lower-case word or `b` starts with one.
fn continues(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_end(), b.trim_start());
    if is_identifier(a) || is_identifier(b) {
        return false; // template code is never part of a sentence
    }
    let ends_clause = a.ends_with(['.', '!', '?', ':', ';', '"', '”', ')', ']', '…']);
    let a_lower = a.chars().last().is_some_and(char::is_lowercase);
    let b_lower = b.chars().next().is_some_and(char::is_lowercase);
    !ends_clause && (a_lower || b_lower)
}

/// Lines longer than this many bytes are prose, whatever else they look like.
pub(super) const SHORT_LINE: usize = 200;

/// One line of a document: its trimmed byte range and text.
pub(super) struct Line<'t> {
    pub(super) range: Range<usize>,
    pub(super) text: &'t str,
    /// The normalised text of a line of at most [`SHORT_LINE`] bytes; empty for a longer one.
    pub(super) norm: String,
    /// Not a piece of a hard-wrapped sentence: any line of a text without blank lines, else a
    /// line that neither continues the line above nor is continued by the line below. Only
    /// such lines can be furniture; "development." ending a wrapped sentence never is.
    pub(super) standalone: bool,
    /// Continues the sentence of the line above, in the same paragraph.
    pub(super) follows: bool,
}

pub(super) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut raw: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for l in text.split('\n') {
        raw.push((offset, l));
        offset += l.len() + 1;
    }
    let blank = |i: usize| raw[i].1.trim().is_empty();
    let has_blank_lines = (0..raw.len()).any(blank);
    let mut out = Vec::new();
    // Whether this line continues the one above: what the line above found looking down.
    let mut joined_to_previous = false;
    for (i, &(start, l)) in raw.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            joined_to_previous = false;
            continue;
        }
        let lead = l.len() - l.trim_start().len();
        let joined_to_next = i + 1 < raw.len() && !blank(i + 1) && continues(t, raw[i + 1].1);
        let standalone = !has_blank_lines || !(joined_to_previous || joined_to_next);
        out.push(Line {
            range: start + lead..start + lead + t.len(),
            text: t,
            // Rules on normalised text concern short lines; a long paragraph is compared as
            // written (`text`) and needs no copy: holding one made segment keep a second copy
            // of the corpus.
            norm: if t.len() <= SHORT_LINE {
                normalize(t)
            } else {
                String::new()
            },
            standalone,
            follows: joined_to_previous,
        });
        joined_to_previous = joined_to_next;
    }
    out
}

/// The lines to remove from each document, with the rule that removes each.
pub fn boilerplate(corpus: &Corpus, params: CleanParams) -> Vec<Vec<(Range<usize>, Rule)>> {
    let furniture = Furniture::gather_decisive(corpus, params);
    (0..corpus.documents.len())
        .into_par_iter()
        .map(|d| furniture.removed(corpus, d))
        .collect()
}

/// Documents a line must be shared by to be furniture in a corpus of `documents`.
pub(super) fn threshold(params: CleanParams, documents: usize) -> usize {
    (params.cross_document_min)
        .max((params.cross_document_share * documents as f64).ceil() as usize)
        .max(2)
}

pub(super) fn classify(
    ls: &[Line],
    shared: &FxHashMap<LineKey, usize>,
    threshold: usize,
    of_source: impl Fn(LineKey) -> bool,
) -> Vec<(Range<usize>, Rule)> {
    let mut rule: Vec<Option<Rule>> = vec![None; ls.len()];
    // Long lines as they stand, short ones normalised: a long line is not copied to be kept.
    let mut seen: FxHashSet<Cow<str>> = FxHashSet::default();
    for (i, l) in ls.iter().enumerate() {
        let n = l.norm.as_str();
        let cell = std::cell::OnceCell::new();
        let key = || *cell.get_or_init(|| line_key(n));
        rule[i] = if !l.standalone {
            None
        } else if l.text.len() > SHORT_LINE {
            // A long paragraph is furniture only when the document already said it.
            (!seen.insert(Cow::Borrowed(l.text))).then_some(Rule::RepeatedInDocument)
        } else if is_identifier(l.text) {
            Some(Rule::Identifier)
        } else if UI_SET.contains(n) {
            Some(Rule::UiString)
        } else if SOCIAL_PREFIXES.iter().any(|p| n.starts_with(p)) && words(l.text) <= 8 {
            Some(Rule::SocialPrompt)
        } else if COMMENT_FORM
            .iter()
            .any(|p| n == *p || (n.starts_with(p) && p.split(' ').count() >= 3))
        {
            Some(Rule::CommentForm)
        } else if is_copyright(n, l.text) {
            Some(Rule::Copyright)
        } else if is_caption_credit(n, l.text) {
            Some(Rule::CaptionCredit)
        } else if !n.is_empty() && shared.get(&key()).copied().unwrap_or(0) >= threshold {
            Some(Rule::CrossDocument)
        } else if !n.is_empty() && l.text.len() <= 120 && of_source(key()) {
            Some(Rule::SourceFurniture)
        } else if !n.is_empty() && !seen.insert(Cow::Owned(without_brackets(n))) {
            Some(Rule::RepeatedInDocument)
        } else {
            None
        };
    }
    // Link lists: runs of at least three truncated headlines or bare dates (other furniture in
    // between does not break a run), with a short heading just above.
    let link_like = |i: usize| {
        let l = &ls[i];
        if !l.standalone {
            return false;
        }
        let body = l.text.trim_start_matches(['•', '-', '*', '·', ' ']);
        // When nothing was trimmed, the body is the line, whose norm is made already.
        let date = || {
            if body.len() == l.text.len() {
                is_date_line(&l.norm)
            } else {
                is_date_line(&normalize(body))
            }
        };
        body.len() <= SHORT_LINE && (is_truncated_headline(body) || date())
    };
    let mut i = 0;
    while i < ls.len() {
        if !link_like(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        let (mut items, mut dates) = (0, 0);
        while j < ls.len() && (link_like(j) || rule[j].is_some()) {
            items += link_like(j) as usize;
            dates += (ls[j].standalone
                && is_date_line(&normalize(
                    ls[j].text.trim_start_matches(['•', '-', '*', '·', ' ']),
                ))) as usize;
            j += 1;
        }
        // Dated items make a list of links; undated ones ("…" lines of a speech) only under a
        // heading such as "Related articles".
        let under_heading = i > 0 && rule[i - 1] == Some(Rule::UiString);
        if items >= 3 && (dates >= 2 || under_heading) {
            // Earlier (date, headline) pairs of the same list, whose headline is not truncated.
            while i >= 2
                && is_date_line(&normalize(
                    ls[i - 2].text.trim_start_matches(['•', '-', '*', '·', ' ']),
                ))
                && words(ls[i - 1].text) <= 12
            {
                i -= 2;
            }
            // The headline of the list's last date, when it is not truncated ("Seasons
            // Greetings 2016!" under "• 22 Dec" at the end of a page).
            let date_at = |k: usize| {
                is_date_line(&normalize(
                    ls[k].text.trim_start_matches(['•', '-', '*', '·', ' ']),
                ))
            };
            if j < ls.len()
                && date_at(j - 1)
                && rule[j].is_none()
                && ls[j].standalone
                && words(ls[j].text) <= 12
            {
                j += 1;
            }
            for r in &mut rule[i..j] {
                r.get_or_insert(Rule::LinkList);
            }
            if i > 0 && rule[i - 1].is_none() && words(ls[i - 1].text) <= 4 {
                rule[i - 1] = Some(Rule::LinkList);
            }
        }
        i = j.max(i + 1);
    }
    ls.iter()
        .zip(rule)
        .filter_map(|(l, r)| r.map(|r| (l.range.clone(), r)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::inline::{dateline, stage_directions};
    use super::*;

    #[test]
    fn ascii_lines_normalise_as_any_line_does() {
        let lines = [
            "  Share this: Facebook | Twitter  ",
            "a , b\t\tc!\x0b\x0cd.",
            "--- **Related articles** ---",
            "...",
            "",
            " \r\n ",
            "By Wang | China Daily: Updated 2017-01-06 *",
            "x",
            "(Applause.)",
            "[Image source=Xinhua]",
            "A\x1fB\x1c C",
        ];
        for line in lines {
            assert_eq!(normalize_ascii(line), normalize_any(line), "{line:?}");
        }
    }

    use crate::test_support::corpus;

    const PARAMS: CleanParams = CleanParams {
        cross_document_min: 3,
        cross_document_share: 0.02,
    };

    /// What cleaning removes from each of several documents, as text with its rule.
    fn removed_in<'t>(texts: &[&'t str]) -> Vec<Vec<(&'t str, Rule)>> {
        boilerplate(&corpus(texts), PARAMS)
            .iter()
            .zip(texts)
            .map(|(rs, t)| rs.iter().map(|(r, rule)| (&t[r.clone()], *rule)).collect())
            .collect()
    }

    fn removed(text: &str) -> Vec<(String, Rule)> {
        let c = corpus(&[text]);
        boilerplate(&c, PARAMS)[0]
            .iter()
            .map(|(r, rule)| (text[r.clone()].to_string(), *rule))
            .collect()
    }

    #[test]
    fn stage_directions_between_sentences_go_and_content_in_brackets_stays() {
        let found = |line: &str| -> Vec<String> {
            stage_directions(line)
                .into_iter()
                .map(|r| line[r].to_string())
                .collect()
        };
        assert_eq!(
            found("We will win. (Applause.) And we will rebuild. [Laughter] Thank you."),
            ["(Applause.)", "[Laughter]"]
        );
        assert_eq!(
            found("(spoke in French) Mr. President, I congratulate you."),
            ["(spoke in French)"]
        );
        assert_eq!(
            found("Four more years? (Audience member: Four more years!) No."),
            ["(Audience member: Four more years!)"]
        );
        assert_eq!(
            found("It was signed. (White House correction.)"),
            ["(White House correction.)"]
        );
        // A speaker cut off mid-sentence: the aside stands between dashes.
        assert_eq!(
            found("No one is more eager to end welfare— [applause]—I may be the only one."),
            ["[applause]"]
        );
        assert_eq!(found("The top 1—[applause]—yes, listen."), ["[applause]"]);
        // Content: acronyms, names, numbers, list markers, and asides inside a sentence.
        for line in [
            "The Organization of African Unity (OAU) met.",
            "It ended. (OAU) The next item.",
            "It ended. (MDGs) The goals.",
            "Sales rose. (Del E. Webb Investment Properties Inc) The firm said.",
            "See resolution 2625. (XXV) The Assembly.",
            "First: (a) the budget; (b) the staff.",
            "It passed. (1967) Then.",
            "The agency (which was founded late) grew.",
            "The agency—its staff (all of them) agreed—grew.",
            "with the United Kingdom—(and perhaps with France too)—and the rest.",
        ] {
            assert!(found(line).is_empty(), "{line}: {:?}", found(line));
        }
    }

    #[test]
    fn one_word_asides_go_only_when_many_documents_have_them() {
        let texts = [
            "We will win. (Applause.) Thank you.",
            "Jobs are back. (Applause.) More to do.",
            "It is late. (Laughter.) (Applause.) Good night.",
            "Sales rose. (Norge) The unit said.",
        ];
        let found: Vec<Vec<&str>> = removed_in(&texts)
            .into_iter()
            .map(|rs| rs.into_iter().map(|(t, _)| t).collect())
            .collect();
        assert_eq!(found[0], ["(Applause.)"]);
        assert_eq!(
            found[2],
            ["(Applause.)"],
            "Laughter is in one document only"
        );
        assert!(found[3].is_empty());
    }

    #[test]
    fn agency_datelines_go_and_their_paragraphs_stay() {
        let texts = [
            "Oil rises\n\nNEW YORK (Reuters) - Oil prices rose on Monday.",
            "Talks fail\n\nBAGHDAD (Reuters) - Talks failed again.",
            "Vote counted\n\nAP - The vote was counted overnight.",
            "Match won\n\nLONDON (Reuters) -- The match was won late.",
            "Tevez - the striker who stayed, in his own words.",
            "Choose hope over fear - a letter from the editor.",
        ];
        let found = removed_in(&texts);
        // "(Reuters)" opens paragraphs in three documents, the threshold; "AP" in one.
        assert_eq!(found[0], vec![("NEW YORK (Reuters) - ", Rule::Dateline)]);
        assert_eq!(found[1], vec![("BAGHDAD (Reuters) - ", Rule::Dateline)]);
        assert_eq!(found[3], vec![("LONDON (Reuters) -- ", Rule::Dateline)]);
        assert!(found[2].is_empty() && found[4].is_empty() && found[5].is_empty());
        // The paragraph after the dateline stays a passage, without it.
        let c = corpus(&texts);
        let removed: Vec<Range<usize>> = boilerplate(&c, PARAMS)[0]
            .iter()
            .map(|x| x.0.clone())
            .collect();
        let kept = crate::stages::s2_segment::paragraphs(texts[0], 1, &removed);
        assert_eq!(kept.len(), 2, "{kept:?}");
        assert_eq!(dateline("Tevez - the striker"), Some((8, "tevez".into())));
        assert_eq!(dateline("Choose hope over fear - a letter"), None);
        assert_eq!(dateline("He said: yes - and left"), None);
    }

    #[test]
    fn web_furniture_is_found_by_rule() {
        let text = "bar_progress\n\nText Size\n\nClose\n\nA real paragraph about data security policy.\n\n\
                    Cybersecurity. Photo: VCG\n\n© The Daily(www.x.kr). All rights reserved.\n\n\
                    Join us on social!\n\nLeave a Reply\n\nTop";
        let r = removed(text);
        let rules: Vec<Rule> = r.iter().map(|x| x.1).collect();
        assert_eq!(
            rules,
            vec![
                Rule::Identifier,
                Rule::UiString,
                Rule::UiString,
                Rule::CaptionCredit,
                Rule::Copyright,
                Rule::SocialPrompt,
                Rule::CommentForm,
                Rule::UiString
            ],
            "{r:?}"
        );
        assert!(r.iter().all(|(t, _)| !t.contains("real paragraph")));
    }

    #[test]
    fn link_lists_with_their_heading() {
        let text = "Body text that stays here.\n\nRecent News.\n\n  • 08 May\n\n    La French Tech at GMIC,...\n\n  • 26 Apr\n\n    Meet the team at...\n\n  • 21 Apr\n\n    Are Power Banks the...\n";
        let r = removed(text);
        assert_eq!(r.len(), 7, "{r:?}");
        let with_plain_headline = "Body text that stays here.\n\nRecent News.\n\n  • 07 Jul\n\n    A whole headline\n\n  • 08 May\n\n    La French Tech at GMIC,...\n\n  • 26 Apr\n\n    Meet the team at...\n\n  • 21 Apr\n\n    Are Power Banks the...\n";
        let r = removed(with_plain_headline);
        assert_eq!(r.len(), 9, "{r:?}");
        assert_eq!(r[2].0, "A whole headline");
        assert!(r.iter().skip(1).all(|x| x.1 == Rule::LinkList), "{r:?}");
        assert_eq!(r[0].0, "Recent News.");
    }

    #[test]
    fn repeats_inside_a_document_and_across_documents() {
        let r = removed("Same line said twice.\n\nOther text.\n\nSame line said twice.");
        assert_eq!(
            r,
            vec![(
                "Same line said twice.".to_string(),
                Rule::RepeatedInDocument
            )]
        );
        let r = removed("A Title Here That Runs To More Than Twelve Words In All Of Its Length\n\nA Title Here That Runs To More Than Twelve Words In All Of Its Length [Image source=Wire]\n\nBody.");
        assert_eq!(
            r,
            vec![(
                "A Title Here That Runs To More Than Twelve Words In All Of Its Length [Image source=Wire]".to_string(),
                Rule::RepeatedInDocument
            )]
        );
        let r = removed(
            "Body.\n\nYour email address will not be published. Required fields are marked *",
        );
        assert_eq!(r[0].1, Rule::CommentForm);
        let texts: Vec<String> = (0..4)
            .map(|i| format!("Unique body {i} of the article.\n\nPowered by the CMS"))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let out = boilerplate(
            &corpus(&refs),
            CleanParams {
                cross_document_min: 3,
                cross_document_share: 0.02,
            },
        );
        assert!(out
            .iter()
            .all(|d| d.len() == 1 && d[0].1 == Rule::CrossDocument));
    }

    #[test]
    fn a_signature_goes_from_the_posts_it_closes_even_when_few_posts_have_it() {
        // 150 posts by many writers; three close with Kent's two lines, under 2% of them, so
        // they are no shared line. 120 close with "Thanks", 90 of them above their writer's
        // name, and 30 with nothing: a sign-off so common is what chance draws from the
        // closing lines' own words, and stays (the shared line rule takes it when it stands
        // alone).
        let texts: Vec<String> = (0..150)
            .map(|i| {
                let body = format!(
                    "Post {i} asks whether the drive {} fits the older model.",
                    i * 7
                );
                match i {
                    0 | 50 | 100 => format!("{body}\n\nKent Sandvik\nApple Computer, Cupertino"),
                    _ if i % 5 == 0 => format!("{body}\nThanks"),
                    _ if i % 5 == 1 => body,
                    _ => format!("{body}\n\nThanks\n-- Writer{i}"),
                }
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let out = boilerplate(&corpus(&refs), PARAMS);
        for (d, removed) in out.iter().enumerate() {
            let got: Vec<(&str, Rule)> = removed
                .iter()
                .map(|(r, rule)| (&texts[d][r.clone()], *rule))
                .filter(|(_, rule)| *rule == Rule::Signature)
                .collect();
            if d % 50 == 0 {
                assert_eq!(
                    got,
                    [
                        ("Kent Sandvik", Rule::Signature),
                        ("Apple Computer, Cupertino", Rule::Signature)
                    ],
                    "post {d}"
                );
            } else {
                assert!(got.is_empty(), "post {d}: {got:?}");
            }
        }
    }

    #[test]
    fn one_sources_masthead_and_share_strip_go_even_inside_a_longer_line() {
        // Five articles of one outlet, each with its masthead between a byline and a date and
        // its share strip; twenty of another outlet, one of which names the first outlet in
        // a line of its own kind. Across all 25 a line must be in 13 documents (half) to be
        // shared furniture, so only the per-source rule can find the outlet's furniture.
        let mut texts: Vec<String> = (1..=5)
            .map(|i| {
                format!(
                    "By Reporter Number{i} | China Daily European Weekly | Updated: 2017-01-0{i}\n\n\
                     Story {i} about trade talks in Brussels and their outcome.\n\n\
                     Digg reddit Newsvine Permalink"
                )
            })
            .collect();
        texts.extend((0..20).map(|i| {
            if i == 0 {
                "Reprinted | China Daily European Weekly | with thanks\n\nA story.".to_string()
            } else {
                format!("Another outlet's story {i} about farming and rain.")
            }
        }));
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut c = corpus(&refs);
        c.documents.edit(|i, d| {
            d.source = if i < 5 { "Daily" } else { "Other" }.to_string();
        });
        let params = CleanParams {
            cross_document_min: 3,
            cross_document_share: 0.5,
        };
        let out = boilerplate(&c, params);
        let removed = |d: usize| -> Vec<(&str, Rule)> {
            out[d]
                .iter()
                .map(|(r, rule)| (&texts[d][r.clone()], *rule))
                .collect()
        };
        for d in 0..5 {
            assert_eq!(
                removed(d),
                [
                    ("China Daily European Weekly", Rule::SourceFurniture),
                    ("Digg reddit Newsvine Permalink", Rule::SourceFurniture)
                ],
                "document {d}"
            );
        }
        // The other outlet's one mention is its own text.
        assert!(removed(5).is_empty(), "{:?}", removed(5));
        assert!((6..25).all(|d| removed(d).is_empty()));
        // An outlet with fewer documents than `cross_document_min` has no furniture of its own:
        // its masthead stays. The strip that closes five documents is still a closing line
        // many documents share.
        c.documents.edit(|i, d| {
            if (2..5).contains(&i) {
                d.source = "Other".to_string();
            }
        });
        let out = boilerplate(&c, params);
        for (d, removed) in out.iter().enumerate() {
            let want: &[_] = if d < 5 {
                &[("Digg reddit Newsvine Permalink", Rule::Signature)]
            } else {
                &[]
            };
            let got: Vec<_> = removed
                .iter()
                .map(|(r, rule)| (&texts[d][r.clone()], *rule))
                .collect();
            assert_eq!(got, want, "document {d}");
        }
    }

    #[test]
    fn a_sources_strip_flattened_into_its_running_text_goes_and_its_repeated_prose_stays() {
        // One outlet's share strip, run into the last paragraph with a link of its own, in five
        // of its six articles; each article's last paragraph also repeats a clause of prose
        // verbatim, which is the outlet's wording, not furniture. Ten
        // articles of another outlet name two of the strip's sites in their own words.
        let strip = "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit \
                     Newsvine Permalink";
        let mut texts: Vec<String> = (1..=6)
            .map(|i| {
                let end = if i <= 5 {
                    format!(" {strip} http://dw.com/p/{i}X{i}")
                } else {
                    String::new()
                };
                format!(
                    "Story {i} about the floods along the river and what the towns did.\n\n\
                     Officials counted the damage in district {i}, and the agency said it \
                     would report again on the matter next week.{end}"
                )
            })
            .collect();
        texts.extend((0..10).map(|i| {
            format!("Story {i}: people read Facebook Twitter and reddit less than last year.")
        }));
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut c = corpus(&refs);
        c.documents.edit(|i, d| {
            d.source = if i < 6 { "DW" } else { "Other" }.to_string();
        });
        let params = CleanParams {
            cross_document_min: 3,
            cross_document_share: 0.5,
        };
        let out = boilerplate(&c, params);
        for d in 0..5 {
            let removed: Vec<(&str, Rule)> = out[d]
                .iter()
                .map(|(r, rule)| (&texts[d][r.clone()], *rule))
                .collect();
            // The link differs in each article, so it is not part of what recurs.
            assert_eq!(removed, [(strip, Rule::SourceFurniture)], "document {d}");
        }
        assert!(out[5..].iter().all(|d| d.is_empty()), "{:?}", &out[5..]);
    }

    #[test]
    fn a_dateline_with_its_date_goes() {
        let texts: Vec<String> = (1..=4)
            .map(|i| format!("BEIJING, March {i} (Xinhua) -- Officials met on day {i} to talk."))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let r = removed_in(&refs);
        assert_eq!(r[0], [("BEIJING, March 1 (Xinhua) -- ", Rule::Dateline)]);
        assert_eq!(r[3], [("BEIJING, March 4 (Xinhua) -- ", Rule::Dateline)]);
        // "Dec. 5" and "5 March" too; a sentence with a lower-case place is not a dateline.
        assert!(dateline("LONDON, Dec. 5 (Reuters) - Prices fell.").is_some());
        assert!(dateline("PARIS, 5 March (AFP) - Talks began.").is_some());
        assert!(dateline("In March 3 (Xinhua) - x").is_none());
    }

    #[test]
    fn ellipses_in_a_speech_are_not_a_link_list() {
        let text = "We must act…\n\nWhen they arrive on our doorstep…\n\nWhich is compounding poverty…\n\nSo we act.";
        assert!(removed(text).is_empty(), "{:?}", removed(text));
    }

    #[test]
    fn lines_of_a_wrapped_sentence_are_never_furniture() {
        let text = "We call for sustainable\ndevelopment.\n\nAnother para about\nTop\nissues.";
        assert!(removed(text).is_empty(), "{:?}", removed(text));
        // A caption under a dateline is its own line, though no blank line precedes it.
        let r = removed("Title of the piece\nPublished: Jul 12, 2021 08:08 PM\nCybersecurity. Photo: VCG\n\nBody text.");
        assert_eq!(
            r,
            vec![("Cybersecurity. Photo: VCG".to_string(), Rule::CaptionCredit)]
        );
    }

    #[test]
    fn dates_copyright_signs_and_numbers() {
        assert!(is_date_line("08 may") && is_date_line("may 8") && is_date_line("2021-07-12"));
        assert!(!is_date_line("9") && !is_date_line("7") && !is_date_line("mayor 12"));
        assert!(has_copyright_sign("© The Daily") && !has_copyright_sign("the present LomÃ©"));
    }

    #[test]
    fn prose_is_kept() {
        let text = "President Xi Speaks on China's Cybersecurity\n\nOn April 19, President Xi led a conference.\n\n\
                    Ⅲ: The Thought on Socialism\n\n• Encouraging officials to listen to public opinions.";
        assert!(removed(text).is_empty(), "{:?}", removed(text));
    }
}
