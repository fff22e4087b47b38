//! Countries and blocs: the gazetteer, and the matcher that finds them in raw text.
//!
//! ```
//! use geostance::countries::{FormType, Gazetteer};
//!
//! let g = Gazetteer::builtin()?;
//! let text = "The Kremlin said Japan’s sanctions would hurt Tokyo.";
//! let found: Vec<(&str, &str)> = g
//!     .find(text)
//!     .iter()
//!     .map(|m| (g.entity(m.entity).code.as_str(), m.text(text)))
//!     .collect();
//! assert_eq!(found, [("RUS", "The Kremlin"), ("JPN", "Japan"), ("JPN", "Tokyo")]);
//! assert_eq!(g.lookup("türkiye").map(|id| g.entity(id).name.as_str()), Some("Turkey"));
//! # Ok::<(), geostance::Error>(())
//! ```
//!
//! The matcher works on the surface text as written, never on stems or lowercased text; it
//! is independent of [`crate::text`].
//!
//! # The gazetteer file
//!
//! `data/gazetteer.tsv` (built in, see [`Gazetteer::builtin`]) and any file given to
//! [`Gazetteer::from_tsv`] are UTF-8, tab-separated, one row per surface form. Lines starting
//! with `#` and blank lines are skipped. The first other line is the header, these six names
//! separated by tabs: `code`, `kind`, `form`, `type`, `years`, `note`. Every row has six fields.
//!
//! | field | meaning |
//! |---|---|
//! | `code` | ISO 3166-1 alpha-3 for states (`XKX` Kosovo, `PSE` Palestine, `TWN` Taiwan, `VAT` Holy See); a short uppercase code for blocs (`EU`, `NATO`, `G7`, ...) |
//! | `kind` | `country` or `bloc` |
//! | `form` | the surface form exactly as news text writes it; case matters |
//! | `type` | `name` (the first `name` row of a code is its canonical name), `short`, `adjective` (demonyms, including plural people forms), `capital`, `metonym`, `leader`, `abbrev`; see [`FormType`] |
//! | `years` | leaders only: years in office, `2014-2022`, `2021-` (open: in office when the file was written), `2019`, or several joined by `,` |
//! | `note` | free text (a leader's role) |
//!
//! ## Ambiguous forms
//!
//! A form may name only one code, with one exception: when a form really names two entities
//! (`Brussels`: the EU and Belgium; `Dominican`: the Dominican Republic and Dominica;
//! `Rutte`: NATO and the Netherlands), list it under each, and start the note of every row
//! but one with `ambiguous`. The unmarked row is the default reading that the matcher and
//! [`Gazetteer::lookup`] use; the marked rows stay in [`Gazetteer::forms`] for reference.
//! Anything else (the same form under two codes without the mark, or twice under one code)
//! is an error naming both lines.
//!
//! # Matching
//!
//! [`Gazetteer::find`] runs one Aho-Corasick automaton with leftmost-longest semantics over
//! the text, so the longest form wins where forms overlap: `North Korea` over `Korea`,
//! `Papua New Guinea`, `Equatorial Guinea` and `Guinea-Bissau` over `Guinea`, `Nigeria` over
//! `Niger`, `Dominican Republic` over `Dominica`, `South Sudan` over `Sudan`. Then:
//!
//! - **Word boundaries.** No letter or digit (any script) may touch a match on either side,
//!   so `Indiana`, `woman`, `Somali`'s "mali" and `USAID` name nothing. Apostrophes and
//!   hyphens are boundaries: `Japan's`, `Japan’s`, `China-Russia`, `US-Japan`, `U.S.-led`,
//!   `anti-Russian`. `_` counts as a letter (`@Jim_Jordan` is a handle). `Sino`, `Russo` and
//!   `Franco` match only before a hyphen (`Sino-US`). A candidate rejected by the boundary check
//!   does not hide a later one inside it (`the Sudan` in `the Sudanese` → `Sudanese`).
//! - **Case.** Forms match case-sensitively as written, so `US` never matches `us` and
//!   `Turkey` never matches `turkey`. Each form written with lowercase letters also matches
//!   in all caps (`JAPAN SANCTIONS RUSSIA`) if it has at least four letters (`XI` is a
//!   numeral, not Xi Jinping). Forms starting with a lowercase letter (`the Kremlin`) also
//!   match capitalised (`The Kremlin`), and forms with `'` also match with `’`. Mentions span
//!   the form as listed, so `the Kremlin` includes the article.
//! - **Blockers** ([`BLOCKERS`]): phrases that contain a form but name no entity are matched
//!   and dropped: `Latin/South/Central/North America(n)`, `Native American`, `the Korean
//!   Peninsula`, `Korean War`, `inter-Korean`, `South China Sea`, `Indian Ocean`, `West
//!   Indies`, `New Mexico`, `Gulf of Guinea`, `New Guinea`, `Niger Delta`, `Congo River`,
//!   `Jordan River/Valley`, `Lake Chad`, `Northern Ireland`, `Paris climate accord`, Americans
//!   by origin (`African-American`, `Cuban American`), US towns (`Warsaw, Indiana`), ...
//!
//! Context rules for names that are also something else. The context is the words right
//! around the match and, where a rule says "nearby", up to 200 bytes on either side (callers
//! usually pass one sentence):
//!
//! | form | rule |
//! |---|---|
//! | `Georgia`, `Georgian(s)` | The country by default. The US state if, with no country cue nearby (`Tbilisi`, `Georgian Dream`, Georgian leaders, `Abkhazia`, `Ossetia`, `Caucasus`), a state cue is nearby (`Atlanta`, `Savannah`, `Kemp`, `Raffensperger`, `Fulton County`, `Warnock`, `Ossoff`, `, Ga.`) or right around it: `state of Georgia`, `Atlanta, Georgia`, `Georgia, U.S.`, `Georgia Senate/legislature/primary/governor/voters/...`, `Georgia's governor`, or any other capitalised word right after (`Georgia Tech`, `Georgia O'Keeffe`) except the role words below. |
//! | `Turkey` | Lowercase `turkey` never matches. A capitalised or all-caps `Turkey` is the bird after `Thanksgiving`, `Christmas`, `roast`, `wild`, `pardons`, ... or before `sandwich`, `dinner`, `breast`, `trot`, ... |
//! | `Chad`, `Jordan`, `Paris`, `Sofia` | A person (or for Paris an event or club: `Paris Agreement`, `Paris Saint-Germain`) when a capitalised word follows right after (`Chad Smith`, `Jordan Peterson`, `Paris Hilton`), unless it is a role or institution word (`President`, `Foreign`, `King`, `Army`, `Embassy`, ...) or a weekday or month; or when a common given name comes right before (`Michael Jordan`). In all-caps text only the given-name test applies. `Jordan River`, `Jordan Valley` and `Lake Chad` are blockers. |
//! | `Washington` | The United States (`Washington, D.C.` too), except `Washington state`/`State`, `state of Washington`, `University of Washington`, a given name before (`George Washington`, `Denzel Washington`) and a newspaper, team or person after (`Washington Post`, `Washington Nationals`, `Washington Irving`). |
//! | `US` | Not in `US$` (the currency); in all-caps text, not after `LET`, `JOIN`, `TELL`, `CONTACT`, `FOLLOW`, ... (the pronoun). |
//! | leader surnames | `Marcos`, `Petro`, `Oli`, `Rama`, `Yunus` and `Abbas` follow the person rule above (`Marcos Llorente`, `Abbas Kiarostami` are other people; full names such as `Abbas Araghchi` are their own forms). A few famous namesakes are blockers (`Daniil Medvedev`, `Werner Herzog`, `Jay Carney`). |
//! | `Congo`, `the Congo`, `Congolese` | DR Congo, unless `Brazzaville` or `Sassou` (Nguesso) is nearby. `Republic of (the) Congo`, `Congo Republic`, `Congo-Brazzaville` and `Brazzaville` are forms of the Republic of the Congo. |
//! | forms with a secondary reading | The default reading gives way to the secondary one when one of its cues is nearby and none of the default's: `Brussels` is Belgium near `Belgian`/`Belgium` unless EU cues (`EU`, `European Commission`, `foreign policy chief`, ...) are there too; likewise `Charles Michel` (Belgium), `António Costa` (Portugal), `Kallas` (Estonia), `Borrell` (Spain), `Mogherini` (Italy); `Rutte` is the Netherlands near `Dutch` unless `NATO`/`alliance`; `Tusk` is the EU near `European Council`/`EU` unless `Poland`/`Polish`; `King Abdullah` is Saudi Arabia near `Saudi`, `Riyadh` or as `the late King Abdullah`. |
//! | `Korea`, `Korean(s)` | South Korea; `North Korea(n)` is the longer form. `the Korean Peninsula`, `Korean War` and `inter-Korean` name no entity; `the two Koreas` names none either (no form `Koreas`). |
//! | `America`, `American(s)` | The United States, except in the blockers above. |
//! | `Europe`, `European` | No entity. Only `European Union`, `EU`, `E.U.`, `Brussels`, `European Commission`, `European Council` and the bloc's leaders name the EU. `Brussels` is the EU, not Belgium (listed as a secondary reading). |
//! | `Paris` | France, as a capital, unless the person/event rule above applies or it is the climate accord. |
//! | others | `Moscow` is Russia (Moscow, Idaho is ignored); `the Hague`, `English`, `Persian`, `Arab` and `Europe` name no entity; `British` is the United Kingdom, `Dutch` and `Holland` the Netherlands; `Guinea` alone is Guinea; `Dominican` is the Dominican Republic (Dominica is a secondary reading). |
//!
//! The matcher builds its automaton once per gazetteer; [`Gazetteer::find`] allocates only
//! the result vector and runs a context rule only when one of the forms above matched.

mod gazetteer;
mod matcher;

pub use gazetteer::{
    AMBIGUOUS_MARK, Entity, EntityId, EntityKind, FormEntry, FormType, Gazetteer, HEADER, Term,
};
pub use matcher::{BLOCKERS, Mention};
