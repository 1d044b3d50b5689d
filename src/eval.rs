//! Scoring against answer keys (`corpus/NAME.gold.json`, format in
//! OUTPUT.md): pairs, dated pairs, typed pairs and time expressions, each as
//! precision, recall and F1, micro-averaged over documents, plus the items
//! missed and the items extra, so a rule change can be judged by its diff.
//!
//! Matching, per document:
//! - a gold party may list alternatives (`腾讯游戏|腾讯`); a predicted pair
//!   matches a gold pair when each side is one of the alternatives, in
//!   either order;
//! - **pairs**: distinct unordered pairs of connection events;
//! - **dated**: (pair, value); predictions without a value are left out;
//! - **typed**: (pair, type), correct when the type is in the gold `how` list;
//! - **timex**: (text, value) of every date mention;
//! - predictions that match only an `optional` gold event neither score nor
//!   cost; predictions matching a `negatives` entry are counted apart.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::output::DocumentOut;
use crate::pairs::{cross, pairs};
use crate::rules::Gazetteer;

/// An answer key.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gold {
    /// The article's file name.
    pub article: String,
    /// Its publication date.
    #[serde(default)]
    pub published: Option<String>,
    /// The connections a careful reader finds.
    #[serde(default)]
    pub events: Vec<GoldEvent>,
    /// Connections the text denies, calls rumour, or reports pending or blocked.
    #[serde(default)]
    pub negatives: Vec<GoldEvent>,
    /// Every calendar expression, once per distinct text.
    #[serde(default)]
    pub dates: Vec<GoldDate>,
}

impl Gold {
    /// Adds the gazetteer's canonical name to every party alternative written
    /// as an alias (三星Pay → Samsung Pay), so a key written with another
    /// spelling of a known entity still matches.
    pub fn canonicalize(&mut self, gazetteer: &Gazetteer) {
        let mut canonical = std::collections::HashMap::new();
        for e in &gazetteer.entities {
            for n in e.names() {
                canonical.insert(n.to_lowercase(), e.name.as_str());
            }
        }
        let widen = |party: &mut String| {
            let mut names: Vec<String> = party.split('|').map(|s| s.trim().to_string()).collect();
            for n in names.clone() {
                if let Some(c) = canonical.get(&n.to_lowercase())
                    && !names.iter().any(|x| x == c)
                {
                    names.push(c.to_string());
                }
            }
            *party = names.join("|");
        };
        for e in self.events.iter_mut().chain(self.negatives.iter_mut()) {
            e.who.iter_mut().chain(e.with_.iter_mut()).for_each(widen);
        }
    }
}

/// A gold event. Annotators may add their own fields (why a negative is
/// one, a note); the scorer reads only these.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldEvent {
    /// Acting parties (`a|b` for alternatives).
    pub who: Vec<String>,
    /// Other parties.
    #[serde(default, rename = "with")]
    pub with_: Vec<String>,
    /// ISO value (`a|b` for alternatives), or null.
    #[serde(default)]
    pub when: Option<String>,
    /// Acceptable `how` types.
    #[serde(default)]
    pub how: Vec<String>,
    /// The shortest substring stating it.
    #[serde(default)]
    pub evidence: String,
    /// Borderline: finding it neither scores nor costs.
    #[serde(default)]
    pub optional: bool,
}

/// A gold date.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldDate {
    /// The expression as written.
    pub text: String,
    /// Its ISO value.
    pub value: String,
}

/// True/false positive and negative counts of one measure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predictions that match gold.
    pub tp_pred: usize,
    /// All scored predictions.
    pub pred: usize,
    /// Gold items found.
    pub tp_gold: usize,
    /// All gold items.
    pub gold: usize,
}

impl Counts {
    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.tp_pred, self.pred)
    }
    /// Recall (1 when there was nothing to find).
    pub fn recall(&self) -> f64 {
        ratio(self.tp_gold, self.gold)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp_pred += o.tp_pred;
        self.pred += o.pred;
        self.tp_gold += o.tp_gold;
        self.gold += o.gold;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The four measures for one document or a corpus.
#[derive(Clone, Debug, Default)]
pub struct Score {
    /// Party pairs.
    pub pairs: Counts,
    /// Pairs with their time value.
    pub dated: Counts,
    /// Pairs with their type.
    pub typed: Counts,
    /// Date texts with values.
    pub timex: Counts,
    /// Negatives asserted as events.
    pub negatives_asserted: usize,
    /// All negatives.
    pub negatives: usize,
    /// Human-readable misses and extras.
    pub notes: Vec<String>,
}

impl Score {
    /// Adds another document's counts.
    pub fn add(&mut self, o: &Score) {
        self.pairs.add(o.pairs);
        self.dated.add(o.dated);
        self.typed.add(o.typed);
        self.timex.add(o.timex);
        self.negatives_asserted += o.negatives_asserted;
        self.negatives += o.negatives;
    }
}

/// A gold pair: two sets of acceptable names.
type Alts = BTreeSet<String>;

fn alts(s: &str) -> Alts {
    s.split('|').map(|x| x.trim().to_string()).collect()
}

fn gold_pairs(e: &GoldEvent) -> Vec<(Alts, Alts)> {
    let who: Vec<Alts> = e.who.iter().map(|w| alts(w)).collect();
    let with: Vec<Alts> = e.with_.iter().map(|w| alts(w)).collect();
    cross(&who, &with)
}

fn pair_matches(pred: &(String, String), gold: &(Alts, Alts)) -> bool {
    let (x, y) = pred;
    (gold.0.contains(x) && gold.1.contains(y)) || (gold.0.contains(y) && gold.1.contains(x))
}

/// A predicted connection: unordered pair, time value, type, evidence.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Predicted {
    pair: (String, String),
    when: Option<String>,
    how: String,
    sentence: String,
}

fn predicted(doc: &DocumentOut) -> Vec<Predicted> {
    let mut out: Vec<Predicted> = doc
        .events
        .iter()
        .filter(|e| e.kind == "connection")
        .flat_map(|e| {
            pairs(e).into_iter().filter_map(move |p| {
                let with = p.with?;
                let pair = if p.who <= with {
                    (p.who, with)
                } else {
                    (with, p.who)
                };
                Some(Predicted {
                    pair: (pair.0.to_string(), pair.1.to_string()),
                    when: e.when.as_ref().and_then(|w| w.value.clone()),
                    how: e.how.kind.clone(),
                    sentence: e.sentence.text.clone(),
                })
            })
        })
        .collect();
    out.sort();
    out
}

/// Scores one document's output against its answer key.
pub fn score(doc: &DocumentOut, gold: &Gold) -> Score {
    let preds = predicted(doc);
    let mut s = Score::default();
    let scored: Vec<&GoldEvent> = gold.events.iter().filter(|e| !e.optional).collect();
    let optional_events: Vec<&GoldEvent> = gold.events.iter().filter(|e| e.optional).collect();
    let optional: Vec<(Alts, Alts)> = optional_events.iter().flat_map(|e| gold_pairs(e)).collect();
    let in_optional = |p: &(String, String)| optional.iter().any(|g| pair_matches(p, g));

    // Pairs.
    let mut gold_items: Vec<(Alts, Alts)> = scored.iter().flat_map(|e| gold_pairs(e)).collect();
    gold_items.sort();
    gold_items.dedup();
    let pred_pairs: BTreeSet<(String, String)> = preds.iter().map(|p| p.pair.clone()).collect();
    let hit = |p: &(String, String)| gold_items.iter().any(|g| pair_matches(p, g));
    // A pair only an optional gold event has neither scores nor costs.
    let ignorable = |p: &(String, String)| in_optional(p) && !hit(p);
    for p in &pred_pairs {
        if hit(p) {
            s.pairs.tp_pred += 1;
            s.pairs.pred += 1;
        } else if !ignorable(p) {
            s.pairs.pred += 1;
            let ev = preds
                .iter()
                .find(|x| &x.pair == p)
                .map_or("", |x| x.sentence.as_str());
            s.notes
                .push(format!("extra pair   {} ~ {}   「{}」", p.0, p.1, ev));
        }
    }
    for g in &gold_items {
        s.pairs.gold += 1;
        if pred_pairs.iter().any(|p| pair_matches(p, g)) {
            s.pairs.tp_gold += 1;
        } else {
            s.notes
                .push(format!("missed pair  {} ~ {}", join(&g.0), join(&g.1)));
        }
    }

    // Dated pairs, then typed pairs: the pair plus one attribute. What
    // matches an optional event's pair and attribute neither scores nor costs.
    let dated = |events: &[&GoldEvent]| -> Vec<GoldAttribute> {
        events
            .iter()
            .filter_map(|e| e.when.as_ref().map(|w| (e, alts(w))))
            .flat_map(|(e, w)| gold_pairs(e).into_iter().map(move |p| (p, w.clone())))
            .collect()
    };
    let pred_dated = preds
        .iter()
        .filter_map(|p| p.when.clone().map(|w| (p.pair.clone(), w)))
        .collect();
    let gold_dated = [dated(&scored), dated(&optional_events)];
    s.dated = attribute("date", gold_dated, pred_dated, &ignorable, &mut s.notes);
    let typed = |events: &[&GoldEvent]| -> Vec<GoldAttribute> {
        events
            .iter()
            .flat_map(|e| {
                let how: Alts = e.how.iter().cloned().collect();
                gold_pairs(e).into_iter().map(move |p| (p, how.clone()))
            })
            .collect()
    };
    let pred_typed = preds
        .iter()
        .map(|p| (p.pair.clone(), p.how.clone()))
        .collect();
    let gold_typed = [typed(&scored), typed(&optional_events)];
    s.typed = attribute("type", gold_typed, pred_typed, &ignorable, &mut s.notes);

    // Time expressions.
    let gold_dates: BTreeSet<(String, String)> = gold
        .dates
        .iter()
        .map(|d| (d.text.clone(), d.value.clone()))
        .collect();
    let pred_dates: BTreeSet<(String, String)> = doc
        .dates
        .iter()
        .filter_map(|d| d.value.clone().map(|v| (d.text.clone(), v)))
        .collect();
    let date_hit = |(t, v): &(String, String), gold: &BTreeSet<(String, String)>| {
        gold.iter().any(|(gt, gv)| gt == t && alts(gv).contains(v))
    };
    for d in &pred_dates {
        s.timex.pred += 1;
        if date_hit(d, &gold_dates) {
            s.timex.tp_pred += 1;
        } else {
            s.notes.push(format!("extra timex  {} = {}", d.0, d.1));
        }
    }
    for (t, v) in &gold_dates {
        s.timex.gold += 1;
        if pred_dates
            .iter()
            .any(|(pt, pv)| pt == t && alts(v).contains(pv))
        {
            s.timex.tp_gold += 1;
        } else {
            s.notes.push(format!("missed timex {} = {}", t, v));
        }
    }

    // Negatives asserted.
    for n in &gold.negatives {
        s.negatives += 1;
        let asserted = gold_pairs(n).iter().any(|g| {
            preds.iter().any(|p| {
                pair_matches(&p.pair, g)
                    && match &n.when {
                        Some(w) => p.when.as_ref().is_some_and(|pw| alts(w).contains(pw)),
                        None => !hit(&p.pair),
                    }
            })
        });
        if asserted {
            s.negatives_asserted += 1;
            s.notes.push(format!(
                "NEGATIVE asserted  {} ~ {}  「{}」",
                n.who.join(","),
                n.with_.join(","),
                n.evidence
            ));
        }
    }
    s
}

/// A gold pair with the acceptable values of one attribute.
type GoldAttribute = ((Alts, Alts), Alts);

/// Scores (pair, attribute) predictions against gold, noting misses and
/// extras as `extra <label>` / `missed <label>`.
fn attribute(
    label: &str,
    [mut gold, optional]: [Vec<GoldAttribute>; 2],
    pred: BTreeSet<((String, String), String)>,
    ignorable: &dyn Fn(&(String, String)) -> bool,
    notes: &mut Vec<String>,
) -> Counts {
    gold.sort();
    gold.dedup();
    let matches = |gold: &[GoldAttribute], p: &(String, String), v: &String| {
        gold.iter()
            .any(|(g, gv)| pair_matches(p, g) && gv.contains(v))
    };
    let mut c = Counts::default();
    for (p, v) in &pred {
        if matches(&gold, p, v) {
            c.tp_pred += 1;
            c.pred += 1;
        } else if !ignorable(p) && !matches(&optional, p, v) {
            c.pred += 1;
            notes.push(format!("extra {label:<6} {} ~ {} : {v}", p.0, p.1));
        }
    }
    for (g, v) in &gold {
        c.gold += 1;
        if pred
            .iter()
            .any(|(p, pv)| pair_matches(p, g) && v.contains(pv))
        {
            c.tp_gold += 1;
        } else {
            notes.push(format!(
                "missed {label:<5} {} ~ {} : {}",
                join(&g.0),
                join(&g.1),
                join(v)
            ));
        }
    }
    c
}

fn join(a: &Alts) -> String {
    a.iter().cloned().collect::<Vec<_>>().join("|")
}

/// The report: one row per document, the micro total, then the notes.
pub fn report(rows: &[(String, Score)], verbose: bool) -> String {
    let mut out = String::new();
    let mut total = Score::default();
    let _ = writeln!(
        out,
        "{:<48} {:>17} {:>17} {:>17} {:>17} {:>5}",
        "article", "pairs P/R/F", "dated P/R/F", "typed P/R/F", "timex P/R/F", "neg"
    );
    let prf = |c: &Counts| format!("{:.2}/{:.2}/{:.2}", c.precision(), c.recall(), c.f1());
    for (name, s) in rows {
        total.add(s);
        let _ = writeln!(
            out,
            "{:<48} {:>17} {:>17} {:>17} {:>17} {:>2}/{:<2}",
            name,
            prf(&s.pairs),
            prf(&s.dated),
            prf(&s.typed),
            prf(&s.timex),
            s.negatives_asserted,
            s.negatives
        );
    }
    let _ = writeln!(
        out,
        "{:<48} {:>17} {:>17} {:>17} {:>17} {:>2}/{:<2}",
        "MICRO",
        prf(&total.pairs),
        prf(&total.dated),
        prf(&total.typed),
        prf(&total.timex),
        total.negatives_asserted,
        total.negatives
    );
    for (label, c) in [
        ("pairs", total.pairs),
        ("dated", total.dated),
        ("typed", total.typed),
        ("timex", total.timex),
    ] {
        let _ = writeln!(
            out,
            "{label}: P {:.3} ({}/{})  R {:.3} ({}/{})  F1 {:.3}",
            c.precision(),
            c.tp_pred,
            c.pred,
            c.recall(),
            c.tp_gold,
            c.gold,
            c.f1()
        );
    }
    let _ = writeln!(
        out,
        "negatives asserted: {}/{}",
        total.negatives_asserted, total.negatives
    );
    if verbose {
        for (name, s) in rows.iter().filter(|(_, s)| !s.notes.is_empty()) {
            let _ = writeln!(out, "\n## {name}");
            for n in &s.notes {
                let _ = writeln!(out, "  {n}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn party(name: &str) -> serde_json::Value {
        json!({"text": name, "name": name, "span": [0, 1]})
    }

    fn event(who: &[&str], with: &[&str], when: Option<&str>, how: &str) -> serde_json::Value {
        json!({
            "id": "x#1", "kind": "connection",
            "who": who.iter().map(|n| party(n)).collect::<Vec<_>>(),
            "with": with.iter().map(|n| party(n)).collect::<Vec<_>>(),
            "when": when.map(|v| json!({"text": v, "value": v, "qualifier": null, "span": [0, 1], "basis": "clause"})),
            "how": {"type": how, "trigger": "t", "span": [0, 1]},
            "sentence": {"text": "s", "span": [0, 1]},
            "rule": "r"
        })
    }

    #[test]
    fn keys_written_with_an_alias_match_the_canonical_name() {
        let file = crate::rules::RuleFile {
            name: "payment.txt".into(),
            text: "Samsung Pay | - | 三星Pay\n".into(),
        };
        let gazetteer = Gazetteer::parse(&[&file]).unwrap();
        let mut gold: Gold = serde_json::from_value(json!({
            "article": "a.txt",
            "events": [{"who": ["三星Pay|三星"], "with": ["银联"]}]
        }))
        .unwrap();
        gold.canonicalize(&gazetteer);
        assert_eq!(gold.events[0].who, ["三星Pay|三星|Samsung Pay"]);
        assert_eq!(gold.events[0].with_, ["银联"]);
    }

    #[test]
    fn pairs_dates_types_optional_and_negatives() {
        let doc: DocumentOut = serde_json::from_value(json!({
            "source": "a.txt", "encoding": "utf-8",
            "published": {"value": null, "basis": null},
            "entities": [],
            "dates": [{"text": "2021年", "value": "2021", "granularity": "year", "qualifier": null, "span": [0, 1], "rule": "d"}],
            "events": [
                event(&["淘宝"], &["微信支付"], Some("2021"), "payment"),
                event(&["腾讯"], &["阿里巴巴"], None, "cooperation"),
                event(&["抖音"], &["快手"], Some("2020"), "link"),
            ],
            "suppressed": []
        }))
        .unwrap();
        let gold: Gold = serde_json::from_value(json!({
            "article": "a.txt",
            "events": [
                {"who": ["微信支付|微信"], "with": ["淘宝"], "when": "2021", "how": ["payment"]},
                {"who": ["美团"], "with": ["支付宝"], "when": null, "how": ["mini_program"]},
                {"who": ["阿里巴巴"], "with": ["腾讯"], "optional": true}
            ],
            "negatives": [{"who": ["抖音"], "with": ["快手"]}],
            "dates": [{"text": "2021年", "value": "2021"}, {"text": "去年", "value": "2020"}]
        }))
        .unwrap();
        let s = score(&doc, &gold);
        // 淘宝~微信支付 found (either order, alternatives), 美团~支付宝 missed,
        // 腾讯~阿里巴巴 optional (ignored), 抖音~快手 extra and a negative.
        assert_eq!(
            (s.pairs.tp_pred, s.pairs.pred, s.pairs.tp_gold, s.pairs.gold),
            (1, 2, 1, 2)
        );
        assert_eq!(
            (s.dated.tp_pred, s.dated.pred, s.dated.tp_gold, s.dated.gold),
            (1, 2, 1, 1)
        );
        assert_eq!(
            (s.typed.tp_pred, s.typed.pred, s.typed.tp_gold, s.typed.gold),
            (1, 2, 1, 2)
        );
        assert_eq!(
            (s.timex.tp_pred, s.timex.pred, s.timex.tp_gold, s.timex.gold),
            (1, 1, 1, 2)
        );
        assert_eq!((s.negatives_asserted, s.negatives), (1, 1));
        assert!((s.pairs.f1() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn an_optional_events_date_and_type_neither_score_nor_cost() {
        // 支付宝~鸿蒙 is keyed twice: in June (scored) and, borderline, in
        // January (optional). A January prediction costs nothing.
        let doc: DocumentOut = serde_json::from_value(json!({
            "source": "a.txt", "encoding": "utf-8",
            "published": {"value": null, "basis": null},
            "entities": [], "dates": [],
            "events": [
                event(&["支付宝"], &["鸿蒙"], Some("2024-01"), "mini_program"),
                event(&["支付宝"], &["鸿蒙"], Some("2024-06"), "cooperation"),
            ],
            "suppressed": []
        }))
        .unwrap();
        let gold: Gold = serde_json::from_value(json!({
            "article": "a.txt",
            "events": [
                {"who": ["支付宝"], "with": ["鸿蒙"], "when": "2024-06", "how": ["cooperation"]},
                {"who": ["支付宝"], "with": ["鸿蒙"], "when": "2024-01", "how": ["mini_program"], "optional": true}
            ]
        }))
        .unwrap();
        let s = score(&doc, &gold);
        assert_eq!((s.dated.tp_pred, s.dated.pred, s.dated.gold), (1, 1, 1));
        assert_eq!((s.typed.tp_pred, s.typed.pred, s.typed.gold), (1, 1, 1));
    }
}
