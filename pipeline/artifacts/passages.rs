//! Stage 2, segment, hands on [`Passages`]: paragraphs by byte range, and the lines cleaning
//! removed with the rule that removed each.

use std::ops::Range;

use serde::Serialize;

use super::Corpus;

/// A passage: a paragraph (or merged short paragraphs) of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Index of the document in [`Corpus::documents`].
    pub doc: u32,
    /// Position of this passage within its document, from 0.
    pub index: u32,
    /// Byte range of the passage in its document's text; always on `char` boundaries.
    pub range: Range<usize>,
}

/// A line that cleaning removed as page furniture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedLine {
    /// Index of the document.
    pub doc: u32,
    /// Byte range of the (trimmed) line in its document's text.
    pub range: Range<usize>,
    /// The rule that removed it.
    pub rule: Rule,
}

/// Output of segment: every passage of every document, in document order then text order.
#[derive(Debug, Clone, Default)]
pub struct Passages {
    /// The passages.
    pub passages: Vec<Passage>,
    /// Lines removed as page furniture, in document order then text order.
    pub removed: Vec<RemovedLine>,
}

impl Passages {
    /// Each passage's sampling key: its document's id and its position in the document,
    /// hashed. The topics are fitted on the passages of the smallest keys (mixed with the
    /// seed), so the sample is the same however the corpus is split into shards: a shard can
    /// tell which of its passages are sampled without seeing the others.
    pub fn sample_keys(&self, corpus: &Corpus) -> Vec<u64> {
        use rayon::prelude::*;
        let ids: Vec<u64> = corpus
            .documents
            .par_iter()
            .map(|d| d.id_fingerprint())
            .collect();
        self.passages
            .par_iter()
            .map(|p| super::fnv1a_from(ids[p.doc as usize], &p.index.to_le_bytes()))
            .collect()
    }

    /// The passages of documents `from..to` and their removed lines, numbered as a shard
    /// holding those documents numbers them (its first document is 0), and where the passages
    /// stand among all.
    pub fn of_documents(&self, from: usize, to: usize) -> (Range<usize>, Passages) {
        let at = |d: usize| self.passages.partition_point(|p| (p.doc as usize) < d);
        let range = at(from)..at(to);
        let passages = self.passages[range.clone()]
            .iter()
            .map(|p| Passage {
                doc: p.doc - from as u32,
                ..p.clone()
            })
            .collect();
        let removed = self
            .removed
            .iter()
            .filter(|r| (from..to).contains(&(r.doc as usize)))
            .map(|r| RemovedLine {
                doc: r.doc - from as u32,
                ..r.clone()
            })
            .collect();
        (range, Passages { passages, removed })
    }

    /// Ranges of passage indices, one per document that has passages, in document order.
    pub fn document_runs(&self) -> Vec<Range<usize>> {
        // At most one run a document: sized once, not doubled (10 M posts are 10 M runs).
        let documents = self.passages.last().map_or(0, |p| p.doc as usize + 1);
        let mut runs: Vec<Range<usize>> = Vec::with_capacity(documents);
        for (i, p) in self.passages.iter().enumerate() {
            match runs.last_mut() {
                Some(r) if self.passages[r.start].doc == p.doc => r.end = i + 1,
                _ => runs.push(i..i + 1),
            }
        }
        runs
    }

    /// The passage's cleaned text: its range of the document, less any removed line inside
    /// it (a whole-document passage can hold some), the kept pieces joined by a blank line.
    pub fn text<'c>(&self, corpus: &'c Corpus, i: usize) -> std::borrow::Cow<'c, str> {
        let p = &self.passages[i];
        let text = &corpus.documents.get(p.doc as usize).text();
        let from = self
            .removed
            .partition_point(|r| (r.doc, r.range.start) < (p.doc, p.range.start));
        let holes: Vec<&Range<usize>> = self.removed[from..]
            .iter()
            .take_while(|r| r.doc == p.doc && r.range.start < p.range.end)
            .map(|r| &r.range)
            .collect();
        if holes.is_empty() {
            return std::borrow::Cow::Borrowed(&text[p.range.clone()]);
        }
        let mut pieces = Vec::with_capacity(holes.len() + 1);
        let mut at = p.range.start;
        for h in holes {
            pieces.push(text[at..h.start.max(at)].trim());
            at = h.end.max(at);
        }
        pieces.push(text[at..p.range.end.max(at)].trim());
        pieces.retain(|s| !s.is_empty());
        std::borrow::Cow::Owned(pieces.join("\n\n"))
    }
}

/// Why a line was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A lone identifier (`bar_progress`, `navToggle`): template code, not prose.
    Identifier,
    /// A user-interface string of web pages (`Close`, `Text Size`, `Skip to content`, in several
    /// languages).
    UiString,
    /// A prompt to share, follow or subscribe.
    SocialPrompt,
    /// Part of a comment form (`Leave a Reply`, `Your email address will not be published`).
    CommentForm,
    /// A copyright or "all rights reserved" line.
    Copyright,
    /// A photo caption's credit line (`Photo: VCG`).
    CaptionCredit,
    /// A list of links to other articles: three or more truncated headlines or bare dates in a
    /// row, with the short heading above them.
    LinkList,
    /// A line that many documents of the corpus share.
    CrossDocument,
    /// A line the document has already said.
    RepeatedInDocument,
    /// A news agency's dateline at the start of a paragraph, up to its dash (`NEW YORK
    /// (Reuters) -`, `AP -`): only the dateline goes, the paragraph stays. A dateline counts
    /// when its agency (the part in brackets, else the whole) opens paragraphs in many
    /// documents, as a shared line does.
    Dateline,
    /// A transcript's note between sentences: a short aside in brackets that is not an
    /// acronym, a name, a number or a list marker (`(Applause.)`, `[Laughter]`, `(spoke in
    /// French)`, `(Audience member: Four more years!)`); one of a single word only when it recurs
    /// across documents as a shared line does. Only the aside goes.
    StageDirection,
    /// A line, or a piece of a line between separators (`|`, `•`, `·`, a spaced dash), that
    /// recurs in many documents of one source (the `source` column): its masthead, bylines or
    /// share strip ("China Daily European Weekly", "Digg reddit Newsvine Permalink"). Counted
    /// as a shared line is, but within the source: in at least `cross_document_min` of its
    /// documents and a fifth of them. A piece goes and the rest of its line stays. So does a
    /// run of labels (eight to forty words with no stop word and no sentence end: a share strip
    /// run into the text) whose eight-word stretches recur so, wherever it sits in a line.
    SourceFurniture,
    /// A line of a document's closing block (its last few short lines below the body) that
    /// closes many documents, far more than chance repetition of a line of its words would
    /// give: a signature ("Kent Sandvik, newton.apple.com"), a byline ("Reporting by Jane
    /// Doe"), a sign-off. Counted whether or not a `source` column groups the documents.
    Signature,
}

impl Rule {
    /// Every rule, in the order they are tried.
    pub const ALL: [Rule; 13] = [
        Rule::Identifier,
        Rule::UiString,
        Rule::SocialPrompt,
        Rule::CommentForm,
        Rule::Copyright,
        Rule::CaptionCredit,
        Rule::LinkList,
        Rule::CrossDocument,
        Rule::RepeatedInDocument,
        Rule::Dateline,
        Rule::StageDirection,
        Rule::SourceFurniture,
        Rule::Signature,
    ];

    /// The rule's name in tables and `run.json`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Identifier => "identifier",
            Rule::UiString => "ui_string",
            Rule::SocialPrompt => "social_prompt",
            Rule::CommentForm => "comment_form",
            Rule::Copyright => "copyright",
            Rule::CaptionCredit => "caption_credit",
            Rule::LinkList => "link_list",
            Rule::CrossDocument => "cross_document",
            Rule::RepeatedInDocument => "repeated_in_document",
            Rule::Dateline => "dateline",
            Rule::StageDirection => "stage_direction",
            Rule::SourceFurniture => "source_furniture",
            Rule::Signature => "signature",
        }
    }
}
