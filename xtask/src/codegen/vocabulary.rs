//! The spec's vocabulary: the words it writes, and how often, to find the
//! word boundaries of names written without any. SailPoint's per-resource
//! specs key schemas by lower-case file names (`sourceclassificationstatus`);
//! the same spec spells those words apart elsewhere, in its operationIds
//! (`getClassifyMachineAccountFromSourceStatusV1`), property and parameter
//! names, tags, titles, enum values and, with less weight, its prose.
//!
//! A lower-case run is split into the sequence of known words that is most
//! likely under the spec's own word frequencies (each word costs
//! `ln(total / count)`; the cheapest sequence wins, which prefers few,
//! frequent words). A run that cannot be covered by known words is kept
//! whole and reported. No list of words is kept by hand.

use std::collections::HashMap;

use serde_json::Value;

use super::names::word_slices;

/// How much more a word written in an identifier counts than one in prose:
/// identifiers are where the spec's authors chose word boundaries.
const IDENTIFIER_WEIGHT: u64 = 4;
/// Identifier words shorter than this are not vocabulary (a stray letter
/// would split anything).
const MIN_IDENTIFIER_WORD: usize = 2;
/// Prose words shorter than this are not vocabulary: `to`, `at`, `on` would
/// split `referencedto` into `referenced to` rather than `reference dto`.
const MIN_PROSE_WORD: usize = 3;
/// Costs are natural logarithms scaled to integers, so that comparisons do
/// not depend on how a platform rounds floats.
const COST_SCALE: f64 = 1024.0;

/// The words of a spec with their costs.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Word (lower case) → cost; only looked up, never iterated.
    cost: HashMap<String, u64>,
    longest: usize,
}

/// The words found for a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The name with a space at every boundary found (`source
    /// classification status`), other characters as they were.
    pub spaced: String,
    /// The lower-case runs no sequence of known words covers, kept whole.
    pub unsplit: Vec<String>,
}

impl Vocabulary {
    #[cfg(test)]
    /// The vocabulary of a spec's documents (every file, parsed).
    pub fn from_documents<'d>(documents: impl IntoIterator<Item = &'d Value>) -> Self {
        let mut counts = Counts::default();
        for document in documents {
            counts.document(document);
        }
        counts.into_vocabulary()
    }

    /// The vocabulary of these words, counted as identifiers: for tests.
    #[cfg(test)]
    pub fn from_identifiers(identifiers: &[&str]) -> Self {
        let mut counts = Counts::default();
        for identifier in identifiers {
            counts.identifier(identifier);
        }
        counts.into_vocabulary()
    }

    /// `name` with its lower-case words split at the boundaries the
    /// vocabulary finds. Words with capitals keep the boundaries they have.
    pub fn split(&self, name: &str) -> Split {
        let mut spaced = String::with_capacity(name.len() + 8);
        let mut unsplit = Vec::new();
        // Walk `name` keeping every character, and split each maximal run of
        // lower-case ASCII letters that starts a word: not the tail of a
        // capitalised word (`Owner`).
        let chars: Vec<char> = name.chars().collect();
        let mut index = 0;
        while index < chars.len() {
            let starts_word = index == 0 || !chars[index - 1].is_alphabetic();
            if !(chars[index].is_ascii_lowercase() && starts_word) {
                spaced.push(chars[index]);
                index += 1;
                continue;
            }
            let end = (index..chars.len())
                .find(|&at| !chars[at].is_ascii_lowercase())
                .unwrap_or(chars.len());
            let run: String = chars[index..end].iter().collect();
            let before_digits = chars.get(end).is_some_and(char::is_ascii_digit);
            match self.words_of(&run, before_digits) {
                Some(found) => spaced.push_str(&found.join(" ")),
                None => {
                    spaced.push_str(&run);
                    unsplit.push(run);
                }
            }
            index = end;
        }
        Split { spaced, unsplit }
    }

    /// The cheapest sequence of known words that is `run`, or `None`. When
    /// digits follow (`accountv2`), the run may end in one letter of its own
    /// (`account v`), the way versions are written.
    fn words_of<'r>(&self, run: &'r str, before_digits: bool) -> Option<Vec<&'r str>> {
        let length = run.len();
        // best[end] = (cost of the cheapest cover of run[..end], its last start)
        let mut best: Vec<Option<(u64, usize)>> = vec![None; length + 1];
        best[0] = Some((0, 0));
        for end in 1..=length {
            for start in end.saturating_sub(self.longest.max(1))..end {
                let Some((cost_before, _)) = best[start] else {
                    continue;
                };
                let word = &run[start..end];
                let cost = match self.cost.get(word) {
                    Some(cost) => *cost,
                    None if before_digits && end == length && word.len() == 1 => 0,
                    None => continue,
                };
                let total = cost_before + cost;
                if best[end].is_none_or(|(best_cost, _)| total < best_cost) {
                    best[end] = Some((total, start));
                }
            }
        }
        best[length]?;
        let mut found = Vec::new();
        let mut end = length;
        while end > 0 {
            let (_, start) = best[end]?;
            found.push(&run[start..end]);
            end = start;
        }
        found.reverse();
        Some(found)
    }
}

/// Word counts, weighted, while reading documents: counted file by file
/// where the files are parsed (on every core), then merged.
#[derive(Debug, Default)]
pub struct Counts {
    weighted: HashMap<String, u64>,
}

impl Counts {
    fn add(&mut self, text: &str, weight: u64, min_length: usize) {
        // Every word of the spec's prose passes here: each is lowered into
        // one buffer, and a key is allocated only for a new word.
        let mut lower = String::new();
        for word in word_slices(text) {
            // Letters only: digits are boundaries of their own.
            for part in word.split(|c: char| !c.is_alphabetic()) {
                if part.chars().count() < min_length {
                    continue;
                }
                lower.clear();
                if part.is_ascii() {
                    lower.push_str(part);
                    lower.make_ascii_lowercase();
                } else {
                    lower.push_str(&part.to_lowercase());
                }
                match self.weighted.get_mut(lower.as_str()) {
                    Some(count) => *count += weight,
                    None => {
                        self.weighted.insert(lower.clone(), weight);
                    }
                }
            }
        }
    }

    fn identifier(&mut self, text: &str) {
        self.add(text, IDENTIFIER_WEIGHT, MIN_IDENTIFIER_WORD);
    }

    fn prose(&mut self, text: &str) {
        self.add(text, 1, MIN_PROSE_WORD);
    }

    /// Counts the words of a document, by where they are written. Example
    /// values, defaults and extensions are data, not the spec's words;
    /// `$ref`s are file names, which are what needs splitting.
    /// Counts the words of one document.
    pub fn document(&mut self, value: &Value) {
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    if key.starts_with("x-")
                        || matches!(key.as_str(), "example" | "examples" | "default" | "$ref")
                    {
                        continue;
                    }
                    match (key.as_str(), child) {
                        ("operationId" | "title" | "name", Value::String(text)) => {
                            self.identifier(text);
                        }
                        ("summary" | "description", Value::String(text)) => self.prose(text),
                        ("properties" | "paths", Value::Object(names)) => {
                            names.keys().for_each(|name| self.identifier(name));
                        }
                        ("tags" | "enum", Value::Array(items)) => {
                            items
                                .iter()
                                .filter_map(Value::as_str)
                                .for_each(|item| self.identifier(item));
                        }
                        _ => {}
                    }
                    self.document(child);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.document(item)),
            _ => {}
        }
    }

    /// The vocabulary of every document counted.
    pub fn into_vocabulary(self) -> Vocabulary {
        let total: u64 = self.weighted.values().sum();
        let longest = self.weighted.keys().map(String::len).max().unwrap_or(0);
        let cost = self
            .weighted
            .into_iter()
            .map(|(word, count)| {
                let cost = ((total as f64 / count as f64).ln() * COST_SCALE).round() as u64;
                (word, cost)
            })
            .collect();
        Vocabulary { cost, longest }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::from_identifiers(&[
            "getClassifyMachineAccountFromSourceStatusV1",
            "sourceClassification",
            "status",
            "accessProfile",
            "approvalScheme",
            "accountId",
            "accountId",
            "BaseReferenceDto",
            "owners",
            "Classify Source",
        ])
    }

    #[test]
    fn lower_case_runs_split_into_the_spec_words() {
        let vocabulary = vocabulary();
        assert_eq!(
            vocabulary.split("sourceclassificationstatus").spaced,
            "source classification status"
        );
        assert_eq!(
            vocabulary.split("accessprofileapprovalscheme").spaced,
            "access profile approval scheme"
        );
        assert_eq!(
            vocabulary.split("basereferencedto").spaced,
            "base reference dto"
        );
    }

    #[test]
    fn boundaries_already_written_are_kept() {
        let vocabulary = vocabulary();
        assert_eq!(vocabulary.split("Owner").spaced, "Owner");
        assert_eq!(vocabulary.split("sourceId").spaced, "sourceId");
        assert_eq!(
            vocabulary.split("access-profile_status").spaced,
            "access-profile_status"
        );
        assert_eq!(
            vocabulary.split("approvalscheme-2").spaced,
            "approval scheme-2"
        );
    }

    #[test]
    fn a_version_letter_before_digits_is_a_word() {
        let vocabulary = vocabulary();
        assert_eq!(vocabulary.split("accountv2").spaced, "account v2");
        assert_eq!(vocabulary.split("ownersv2").spaced, "owners v2");
    }

    #[test]
    fn runs_no_known_words_cover_are_kept_and_reported() {
        let split = vocabulary().split("sourcelite");
        assert_eq!(split.spaced, "sourcelite");
        assert_eq!(split.unsplit, ["sourcelite"]);
        assert!(vocabulary().split("source").unsplit.is_empty());
    }

    #[test]
    fn examples_defaults_extensions_and_refs_are_not_vocabulary() {
        let document: Value = serde_json::json!({
            "paths": {"/lite/{itemId}": {"get": {
                "operationId": "getThing",
                "description": "Reads a thing, at once.",
                "x-note": "sourcelite",
                "parameters": [{"name": "pageSize", "example": "source lite"}],
                "responses": {"200": {"$ref": "../sourcelite.yaml"}}
            }}}
        });
        let vocabulary = Vocabulary::from_documents([&document]);
        for word in [
            "lite", "item", "id", "get", "thing", "reads", "once", "page", "size",
        ] {
            assert!(vocabulary.cost.contains_key(word), "{word}");
        }
        for word in ["at", "sourcelite", "source", "note"] {
            assert!(!vocabulary.cost.contains_key(word), "{word}");
        }
    }

    #[test]
    fn frequent_words_win_over_rare_joined_ones() {
        // `accountid` written once as one word, `account` and `id` often.
        let vocabulary = Vocabulary::from_identifiers(&[
            "accountid",
            "account",
            "account",
            "account",
            "id",
            "id",
            "id",
        ]);
        assert_eq!(vocabulary.split("accountid").spaced, "account id");
    }
}
