//! Word tokens with byte offsets, and the normalisation applied before stemming.
//!
//! A token is a maximal run of letters, digits, marks and `_`, with these extensions:
//! - an apostrophe (`'` or `’`) between two letters stays inside (`don't`, `Japan's`);
//! - dotted initialisms stay whole (`U.S.`, `U.K.`, `e.g.`), so their dots do not split them;
//! - a `.` or `,` between two digits stays inside (`3.5`, `1,200`);
//! - a leading `#` or `@` stays attached (`#SemST`, `@NATO`), as social-media text uses them.
//!
//! An emoji is a token of its own (a flag, two regional indicators, is one token). Everything
//! else (spaces, punctuation, hyphens, other symbols) separates tokens. Punctuation that
//! ends a clause (`, ; : ( ) [ ] — – " “ ” ! ? .`) is reported as a clause break so that
//! features can tell which words share a clause with a target mention.
//!
//! [`normalize`] lowercases (full Unicode lowercasing, as rust-stemmers expects lowercased
//! input), drops the possessive `'s`/`’s` and a trailing apostrophe, and removes the dots of an
//! initialism (`U.S.` → `us`).

/// A token: its text in the original input and its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as it appears in the input.
    pub text: &'a str,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// True when clause-ending punctuation separates this token from the previous one.
    pub clause_break_before: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

fn is_mark(c: char) -> bool {
    // Combining marks (accents in decomposed text, Devanagari vowel signs, ...).
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x097F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
        && !c.is_alphanumeric()
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// Emoji and pictographs (the common blocks); each becomes a token (they carry stance in tweets).
fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '('
            | ')'
            | '['
            | ']'
            | '—'
            | '–'
            | '"'
            | '“'
            | '”'
            | '!'
            | '?'
            | '.'
            | '…'
            | '।'
            | '。'
            | '，'
            | '；'
    )
}

/// Splits `text` into tokens. Linear in the input; allocation only for the output.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    tokenize_into(text, &mut out);
    out
}

/// Like [`tokenize`], appending to a reused vector (cleared first).
pub fn tokenize_into<'a>(text: &'a str, out: &mut Vec<Token<'a>>) {
    out.clear();
    let mut chars = text.char_indices().peekable();
    let mut pending_break = false;
    while let Some((i, c)) = chars.next() {
        let starts_word = is_word_char(c)
            || ((c == '#' || c == '@') && chars.peek().is_some_and(|&(_, n)| is_word_char(n)));
        if !starts_word {
            if is_clause_break(c) {
                pending_break = true;
            } else if is_emoji(c) {
                // An emoji is a token of its own; a flag is a pair of regional indicators.
                let mut end = i + c.len_utf8();
                if is_regional_indicator(c)
                    && let Some(&(j, n)) = chars.peek().filter(|(_, n)| is_regional_indicator(*n))
                {
                    chars.next();
                    end = j + n.len_utf8();
                }
                out.push(Token {
                    text: text.get(i..end).unwrap_or(""),
                    start: i,
                    end,
                    clause_break_before: pending_break,
                });
                pending_break = false;
            }
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        let mut prev = c;
        // Whether the token so far looks like an initialism: single letters separated by dots.
        let mut initialism = c.is_alphabetic();
        let mut letters_since_dot = usize::from(initialism);
        while let Some(&(j, n)) = chars.peek() {
            if is_word_char(n) {
                chars.next();
                end = j + n.len_utf8();
                if n.is_alphabetic() {
                    letters_since_dot += 1;
                    if letters_since_dot > 1 {
                        initialism = false;
                    }
                } else {
                    initialism = false;
                }
                prev = n;
                continue;
            }
            // Look one character past the separator.
            let rest = text.get(j + n.len_utf8()..).unwrap_or("");
            let after = rest.chars().next();
            let joins = match n {
                '\'' | '’' => prev.is_alphabetic() && after.is_some_and(char::is_alphabetic),
                '.' | ',' if prev.is_ascii_digit() => after.is_some_and(|a| a.is_ascii_digit()),
                '.' => initialism && letters_since_dot == 1,
                _ => false,
            };
            if !joins {
                break;
            }
            chars.next();
            end = j + n.len_utf8();
            if n == '.' && !prev.is_ascii_digit() {
                // Inside an initialism: the dot is kept, the next letter starts a new run.
                letters_since_dot = 0;
                prev = n;
                // An initialism ends with its dot unless another letter follows.
                if !after.is_some_and(char::is_alphabetic) {
                    break;
                }
                continue;
            }
            prev = n;
        }
        out.push(Token {
            text: text.get(start..end).unwrap_or(""),
            start,
            end,
            clause_break_before: pending_break,
        });
        pending_break = false;
    }
}

/// Lowercases a token, strips a possessive `'s` / `’s` or trailing apostrophe, and removes the
/// dots of an initialism. Writes into `out` (cleared first) to avoid allocating per token.
pub fn normalize_into(token: &str, out: &mut String) {
    out.clear();
    let base = strip_possessive(token);
    // Only initialisms end in a dot (numbers never do), so a final dot means "drop the dots".
    let initialism = base.ends_with('.');
    for c in base.chars() {
        if c == '.' && initialism {
            continue;
        }
        if c == '’' {
            out.push('\'');
            continue;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// [`normalize_into`] returning a new string.
pub fn normalize(token: &str) -> String {
    let mut s = String::with_capacity(token.len());
    normalize_into(token, &mut s);
    s
}

fn strip_possessive(token: &str) -> &str {
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(base) = token.strip_suffix(suffix)
            && !base.is_empty()
        {
            return base;
        }
    }
    token
        .strip_suffix('\'')
        .or_else(|| token.strip_suffix('’'))
        .filter(|b| !b.is_empty())
        .unwrap_or(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_words_and_keeps_offsets() {
        let s = "Japan sanctioned Russia.";
        let toks = tokenize(s);
        assert_eq!(texts(s), ["Japan", "sanctioned", "Russia"]);
        for t in &toks {
            assert_eq!(&s[t.start..t.end], t.text);
        }
    }

    #[test]
    fn possessives_and_contractions_stay_whole() {
        assert_eq!(
            texts("Japan's and Japan’s don't"),
            ["Japan's", "and", "Japan’s", "don't"]
        );
        assert_eq!(normalize("Japan's"), "japan");
        assert_eq!(normalize("Japan’s"), "japan");
        assert_eq!(normalize("countries'"), "countries");
        assert_eq!(normalize("don’t"), "don't");
    }

    #[test]
    fn initialisms_and_numbers() {
        assert_eq!(
            texts("The U.S. and U.K. agreed"),
            ["The", "U.S.", "and", "U.K.", "agreed"]
        );
        assert_eq!(normalize("U.S."), "us");
        assert_eq!(
            texts("grew 3.5 percent, or 1,200 units."),
            ["grew", "3.5", "percent", "or", "1,200", "units"]
        );
        assert_eq!(texts("end. Next"), ["end", "Next"]);
    }

    #[test]
    fn hyphens_split_and_hashtags_stay() {
        assert_eq!(
            texts("China-Russia ties #SemST @NATO"),
            ["China", "Russia", "ties", "#SemST", "@NATO"]
        );
        assert_eq!(texts("# alone"), ["alone"]);
    }

    #[test]
    fn clause_breaks_are_marked() {
        let toks = tokenize("India abstained, but Japan voted yes");
        let breaks: Vec<bool> = toks.iter().map(|t| t.clause_break_before).collect();
        assert_eq!(breaks, [false, false, true, false, false, false]);
    }

    #[test]
    fn unicode_scripts_and_emoji() {
        assert_eq!(
            texts("日本は制裁 🇯🇵 Россия"),
            ["日本は制裁", "🇯🇵", "Россия"]
        );
        assert_eq!(normalize("РОССИЯ"), "россия");
        assert_eq!(texts("🙂🙂 !!! ..."), ["🙂", "🙂"]);
        assert!(tokenize("!!! ... «»").is_empty());
        assert!(tokenize("").is_empty());
        assert_eq!(texts("a\0b"), ["a", "b"]);
    }
}
