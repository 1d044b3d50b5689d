//! The shapes of `rules/dates.toml` and `rules/events.toml`, read with serde.
//! `deny_unknown_fields` turns a misspelt key into an error with its line.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::RuleFile;
use crate::error::{Error, Result};

/// `rules/dates.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatesFile {
    /// The publication date the rule examples are resolved against.
    pub example_published: String,
    /// Named pattern pieces, referenced as `{name}`.
    #[serde(default)]
    pub fragments: BTreeMap<String, String>,
    /// Words right after a date that qualify it (`起` → `from`).
    #[serde(default)]
    pub qualifiers: BTreeMap<String, String>,
    /// Relative years: `今年` → 0, `去年` → -1.
    #[serde(default)]
    pub rel_year: BTreeMap<String, i32>,
    /// Relative months: `上月` → -1.
    #[serde(default)]
    pub rel_month: BTreeMap<String, i32>,
    /// Years anchored to the last explicit time: `同年` → 0, `次年` → 1.
    #[serde(default)]
    pub anchor_year: BTreeMap<String, i32>,
    /// Months anchored to the last explicit time: `同月` → 0, `次月` → 1.
    #[serde(default)]
    pub anchor_month: BTreeMap<String, i32>,
    /// Weeks from the publication week: `上周` → -1, `本周` → 0.
    #[serde(default)]
    pub rel_week: BTreeMap<String, i32>,
    /// Quarters from the story's recent quarter, else the publication's:
    /// `上季度` → -1, `本季度` → 0.
    #[serde(default)]
    pub rel_quarter: BTreeMap<String, i32>,
    /// Words inside a date's text that narrow it (`底` → `end`, `上旬` → `start`).
    #[serde(default)]
    pub modifiers: BTreeMap<String, String>,
    /// Relative days: `昨天` → -1.
    #[serde(default)]
    pub rel_day: BTreeMap<String, i32>,
    /// Days anchored to the last explicit time: `次日` → 1, `当天` → 0.
    #[serde(default)]
    pub anchor_day: BTreeMap<String, i32>,
    /// Lunar feasts and their distance in days from 春节: `除夕` → -1.
    #[serde(default)]
    pub lunar: BTreeMap<String, i32>,
    /// The Gregorian date of 春节 per year: `"2024" = "02-10"`.
    #[serde(default)]
    pub spring_festival: BTreeMap<String, String>,
    /// Named days: `双11` → `11-11`.
    #[serde(default)]
    pub festival: BTreeMap<String, String>,
    /// Signs of when an article was written, read when neither the flag
    /// nor the file name gives the date.
    #[serde(default)]
    pub publication: PublicationCues,
    /// The date rules, in priority order.
    #[serde(default)]
    pub rule: Vec<DateRule>,
}

/// The `[publication]` table of the date rules: see `src/publication.rs`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationCues {
    /// Words shortly before a time that announce it for later (将于).
    #[serde(default)]
    pub future: Vec<String>,
    /// Words right after a written-out year saying it is over (全年, 年报).
    #[serde(default)]
    pub closed_after: Vec<String>,
    /// Words before a year's end saying it is over (截至2024年底).
    #[serde(default)]
    pub closed_before: Vec<String>,
    /// A written-out year's figures (2023年全国快递业务量完成1320.7亿件),
    /// anchored at the year's end: the year is over.
    pub figures: Option<String>,
    /// What may stand between a relative year and the year it names
    /// (三年前，也就是2015年): a regex the whole gap must match.
    pub apposition: Option<String>,
    /// What ends a dateline right after its date (电, 讯, 上午消息),
    /// anchored at the date's end.
    pub dateline: Option<String>,
    /// A clock time right after a date near the top of the page (3月12日
    /// 10:21 来源：…): the page's own time stamp, anchored at the date's end.
    pub stamp: Option<String>,
    /// A day of the week right after a date (7月25日（周一）), anchored at
    /// the date's end; group `weekday`.
    pub weekday_after: Option<String>,
    /// A day of the week right before a date (本周一（7月25日）), anchored
    /// at the date's start; group `weekday`.
    pub weekday_before: Option<String>,
    /// Connections whose month every reader of this news knows: one dated
    /// only relatively (去年9月) or without its year tells the article's year.
    #[serde(default)]
    pub milestone: Vec<Milestone>,
}

/// One `[[publication.milestone]]`: a connection and its month.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// The parties by canonical name, alternatives as `a|b`; a group
    /// (腾讯) stands for its members too. One party alone is an act of its
    /// own (a regulator's order), known by `words`.
    pub parties: Vec<String>,
    /// Words the event's sentence must hold (屏蔽网址链接), if any.
    #[serde(default)]
    pub words: Vec<String>,
    /// The month, `YYYY-MM`.
    pub month: String,
    /// What happened, for whoever reads or checks the table.
    pub what: String,
}

/// One date rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRule {
    /// Stable dotted id (`date.ymd`), shown in output.
    pub id: String,
    /// The pattern, with named groups the normalizer knows.
    pub pattern: String,
    /// Texts the rule must match in full, with the value they resolve to.
    #[serde(default)]
    pub examples: Vec<DateExample>,
    /// Texts the rule must not match anywhere.
    #[serde(default)]
    pub not: Vec<String>,
    /// Words that, right after a match, show it is no date (`7日内` is a duration).
    #[serde(default)]
    pub not_before: Vec<String>,
    /// The match must open a time phrase (text start, punctuation, a space
    /// or 在/于 before it): 两天后，… is a time, 公示七天后 a span after an act.
    #[serde(default)]
    pub clause_start: bool,
}

/// A date example: the text and its expected value.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateExample {
    /// The input.
    pub text: String,
    /// The expected ISO value against `example_published`.
    pub value: String,
}

/// `rules/events.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsFile {
    /// Named pattern pieces, referenced as `{name}`.
    #[serde(default)]
    pub fragments: BTreeMap<String, String>,
    /// `how` types with their cue words, in priority order.
    #[serde(default)]
    pub how: Vec<HowCues>,
    /// Cues that make a candidate a non-event (rumour, denial, pending, blocked).
    #[serde(default)]
    pub polarity: Vec<PolarityCues>,
    /// Words standing for a party named before, with the kinds each may mean.
    #[serde(default)]
    pub refer: BTreeMap<String, Vec<String>>,
    /// `refer` words that stand for the nearest party before them in their
    /// sentence rather than its first (`其`: 脱胎于美团的猫眼电影…，其App…).
    #[serde(default)]
    pub refer_nearest: Vec<String>,
    /// Words that contain a `refer` word but refer to nothing (`其他`, `尤其`).
    #[serde(default)]
    pub refer_never: Vec<String>,
    /// Phrases that contain a polarity cue but are positive (`取消屏蔽`).
    #[serde(default)]
    pub exempt: Vec<String>,
    /// Sentence openers that restate the previous sentence, so it lends its time.
    #[serde(default)]
    pub restate: Vec<String>,
    /// Words for an event's two parties (双方, 前者): a clause opening with
    /// one goes on about the event, and its cues give the event's `how`.
    #[serde(default)]
    pub pair_words: Vec<String>,
    /// Words opening a clause that turns to something else (但, 不过): a
    /// sentence-wide denial in such a clause, about parties of its own,
    /// does not reach back to an event before it.
    #[serde(default)]
    pub contrast: Vec<String>,
    /// Words saying a deal is like the one before (类似合作): an event whose
    /// clause has one and no channel of its own takes the previous event's.
    #[serde(default)]
    pub similar: Vec<String>,
    /// Words right before a `how` cue that cancel it (无需跳转: bought in
    /// place, not through a link).
    #[serde(default)]
    pub cue_cancel: Vec<String>,
    /// Words pairing two lists of the same length member by member
    /// (A、B分别接入C、D: A with C, B with D).
    #[serde(default)]
    pub respectively: Vec<String>,
    /// Words marking an anniversary (十周年): the clause's time is the
    /// anniversary's, not the event's.
    #[serde(default)]
    pub anniversary: Vec<String>,
    /// Words opening a clause that only sets a party against another
    /// (与…不同): that party is no sentence topic.
    #[serde(default)]
    pub compare_open: Vec<String>,
    /// Words closing such a clause (不同, 相比…).
    #[serde(default)]
    pub compare_close: Vec<String>,
    /// When an enumeration comma stands between two whole clauses
    /// (淘宝接入微信支付、美团在支付宝上线小程序) rather than list items.
    #[serde(default)]
    pub clause_list: Option<ClauseList>,
    /// Sentence openers that move time on (此后, 目前): no time is carried
    /// over into such a sentence.
    #[serde(default)]
    pub shift: Vec<String>,
    /// The event rules, in priority order.
    #[serde(default)]
    pub rule: Vec<EventRule>,
}

/// `[clause_list]`: patterns over the skeleton on either side of a `、`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseList {
    /// Must match the stretch from the clause's start up to the `、`.
    pub before: String,
    /// Must match the stretch from the `、` up to the clause's end.
    pub after: String,
}

/// A `how` type and the words that signal it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HowCues {
    /// One of OUTPUT.md's types.
    #[serde(rename = "type")]
    pub kind: String,
    /// Cue words.
    pub cues: Vec<String>,
}

/// A family of polarity cues.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolarityCues {
    /// Stable id (`neg.denial`), shown in debug output.
    pub id: String,
    /// `clause` (the trigger's clause), `leading` (the sentence up to the
    /// end of that clause) or `sentence`.
    pub scope: String,
    /// Cue words.
    pub cues: Vec<String>,
}

/// One event rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRule {
    /// Stable dotted id (`event.join`), shown in output.
    pub id: String,
    /// `connection` (default) or `policy`.
    #[serde(default = "connection")]
    pub kind: String,
    /// The pattern over the sentence skeleton, with the named groups that
    /// `rules/events.toml`'s header lists (who, with, trigger, both, …).
    pub pattern: String,
    /// A fixed `how` type; without it the type comes from cue words.
    #[serde(default)]
    pub how: Option<String>,
    /// True for a rule reading a second relation among parties another rule
    /// places (腾讯向京东提供微信的入口: 京东 with 微信, beside 腾讯 with
    /// 京东): it neither skips claimed parties nor claims any.
    #[serde(default)]
    pub shared: bool,
    /// Sentences the rule must turn into the given event.
    #[serde(default)]
    pub examples: Vec<EventExample>,
    /// Sentences the rule must produce no event from.
    #[serde(default)]
    pub not: Vec<String>,
}

fn connection() -> String {
    "connection".into()
}

/// An event example: a sentence and the parties it must yield.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventExample {
    /// The sentence.
    pub text: String,
    /// Canonical names of `who`, space-separated.
    pub who: String,
    /// Canonical names of `with`, space-separated (may be empty).
    #[serde(default, rename = "with")]
    pub with_: String,
    /// The expected `how` type, when the example pins it.
    #[serde(default)]
    pub how: Option<String>,
}

/// Parses a TOML rule file; errors carry the file and line.
pub fn parse_toml<T: serde::de::DeserializeOwned>(file: &RuleFile) -> Result<T> {
    toml::from_str(&file.text).map_err(|e| {
        let line = e.span().map_or(0, |s| {
            file.text[..s.start.min(file.text.len())]
                .matches('\n')
                .count()
                + 1
        });
        Error::rule(&file.name, line, e.message().trim().to_string())
    })
}

/// `rules/names.toml`: how names the gazetteer does not know are found.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamesFile {
    /// Most jieba words in one suffix name.
    pub max_words: usize,
    /// Most characters of a quoted name.
    pub max_quoted_chars: usize,
    /// Endings of organization and product names.
    pub suffixes: Vec<String>,
    /// Tag prefixes of proper nouns.
    pub proper_pos: Vec<String>,
    /// Words a quoted name may stand right before.
    pub quoted_before: Vec<String>,
    /// Words a quoted name may stand right after.
    pub quoted_after: Vec<String>,
    /// Candidates that are never names.
    pub never: Vec<String>,
    /// First characters a name never has.
    pub never_start: Vec<String>,
    /// Last words a name never has: what ends so is a plan or a campaign.
    #[serde(default)]
    pub never_end: Vec<String>,
    /// Words right before a quoted term being defined (什么是“外卡内绑”).
    #[serde(default)]
    pub term_before: Vec<String>,
    /// Words right after a quoted term being defined (“外卡内绑”是指).
    #[serde(default)]
    pub term_after: Vec<String>,
    /// Endings left out of a name's canonical form when what remains still
    /// ends in a suffix: 泰隆银行App is 泰隆银行.
    #[serde(default)]
    pub decorations: Vec<String>,
    /// Words that, right after a group's name, make it a description of its
    /// products rather than a party (阿里系应用, 字节跳动系产品).
    #[serde(default)]
    pub affiliation: Vec<String>,
    /// Words starting with an `affiliation` mark that are not one (系统).
    #[serde(default)]
    pub affiliation_not: Vec<String>,
    /// Words for a payment code (收款码): a platform's code is its wallet's.
    #[serde(default)]
    pub code_words: Vec<String>,
    /// Words right before a platform one pays with (用微信付款).
    #[serde(default)]
    pub paid_with_before: Vec<String>,
    /// Words right after a platform one pays with (用微信付款).
    #[serde(default)]
    pub paid_with_after: Vec<String>,
    /// A platform's wallet (微信 → 微信支付), named for a platform written
    /// right before a code word (微信收款码 is 微信支付's).
    #[serde(default)]
    pub wallet_of: BTreeMap<String, String>,
}
