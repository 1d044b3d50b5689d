//! Rule examples are tests: every event rule's `examples` must yield an event
//! from that rule with exactly the listed parties (and type, when given), and
//! no `not` entry may yield one. Date examples are checked when the pipeline
//! is built; here a broken one must stop the build with file, line and cause.

mod common;

use std::collections::BTreeMap;

use common::{PIPELINE, run_text};
use extract::Pipeline;
use extract::rules::{RuleFile, RuleSet};

#[test]
fn event_rule_examples_hold() {
    let rules = &PIPELINE.rules().events.rule;
    let mut checked = 0;
    for rule in rules {
        for ex in &rule.examples {
            let doc = run_text(&ex.text, "2024-09-06");
            let names = |ps: &[extract::output::PartyOut]| {
                ps.iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let found = doc.events.iter().filter(|e| e.rule == rule.id).any(|e| {
                names(&e.who) == ex.who
                    && names(&e.with) == ex.with_
                    && ex.how.as_ref().is_none_or(|h| &e.how.kind == h)
            });
            let got: Vec<String> = doc
                .events
                .iter()
                .map(|e| {
                    format!(
                        "{}: {} → {} ({})",
                        e.rule,
                        names(&e.who),
                        names(&e.with),
                        e.how.kind
                    )
                })
                .collect();
            assert!(
                found,
                "rule {}: example {:?} should give {} → {} {:?}; got {got:#?}",
                rule.id, ex.text, ex.who, ex.with_, ex.how
            );
            checked += 1;
        }
        for not in &rule.not {
            let doc = run_text(not, "2024-09-06");
            let hits: Vec<_> = doc.events.iter().filter(|e| e.rule == rule.id).collect();
            assert!(
                hits.is_empty(),
                "rule {}: {not:?} must give no event, gave {hits:#?}",
                rule.id
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} event examples");
}

fn embedded_with(file: &str, text: &str) -> BTreeMap<String, RuleFile> {
    let mut files = BTreeMap::new();
    for (rel, body) in [
        ("dates.toml", include_str!("../rules/dates.toml")),
        ("events.toml", include_str!("../rules/events.toml")),
        ("names.toml", include_str!("../rules/names.toml")),
        (
            "jieba_userdict.txt",
            include_str!("../rules/jieba_userdict.txt"),
        ),
        // The milestones of dates.toml name entities of these files.
        (
            "entities/platform.txt",
            include_str!("../rules/entities/platform.txt"),
        ),
        (
            "entities/payment.txt",
            include_str!("../rules/entities/payment.txt"),
        ),
        (
            "entities/company.txt",
            include_str!("../rules/entities/company.txt"),
        ),
        (
            "entities/telecom.txt",
            include_str!("../rules/entities/telecom.txt"),
        ),
        (
            "entities/service.txt",
            include_str!("../rules/entities/service.txt"),
        ),
        (
            "entities/regulator.txt",
            include_str!("../rules/entities/regulator.txt"),
        ),
    ] {
        files.insert(
            rel.to_string(),
            RuleFile {
                name: format!("rules/{rel}"),
                text: body.to_string(),
            },
        );
    }
    files.insert(
        file.to_string(),
        RuleFile {
            name: format!("rules/{file}"),
            text: text.to_string(),
        },
    );
    files
}

#[test]
fn a_date_example_its_rule_does_not_produce_stops_the_build() {
    let dates = include_str!("../rules/dates.toml").replace(
        r#"{ text = "2021年12月27日", value = "2021-12-27" }"#,
        r#"{ text = "2021年12月27日", value = "2021-12-28" }"#,
    );
    let rules = RuleSet::from_files(embedded_with("dates.toml", &dates)).unwrap();
    let err = Pipeline::new(&rules).err().expect("must fail").to_string();
    assert!(err.starts_with("rules/dates.toml:"), "{err}");
    assert!(
        err.contains("date.ymd") && err.contains("2021-12-28"),
        "{err}"
    );
}

#[test]
fn a_milestone_must_name_known_parties_and_a_month() {
    for (from, to, problem) in [
        (r#"["抖音", "饿了么"]"#, r#"["抖音", "饿了吗"]"#, "饿了吗"),
        (
            r#"month = "2022-08""#,
            r#"month = "2022-8-18""#,
            "2022-8-18",
        ),
        (r#"parties = ["工信部"]"#, "parties = []", "one or two"),
    ] {
        let dates = include_str!("../rules/dates.toml").replace(from, to);
        let rules = RuleSet::from_files(embedded_with("dates.toml", &dates)).unwrap();
        let err = Pipeline::new(&rules).err().expect("must fail").to_string();
        assert!(err.starts_with("rules/dates.toml:"), "{err}");
        assert!(err.contains("milestone") && err.contains(problem), "{err}");
    }
}

#[test]
fn an_unknown_key_is_an_error_with_its_line() {
    let events = format!(
        "{}\n[[rule]]\nid = \"x\"\npatern = 'a'\n",
        include_str!("../rules/events.toml")
    );
    let err = RuleSet::from_files(embedded_with("events.toml", &events))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("rules/events.toml:") && err.contains("patern"),
        "{err}"
    );
}

#[test]
fn a_bad_regex_names_the_rule() {
    let events = format!(
        "{}\n[[rule]]\nid = \"event.broken\"\npattern = '(?P<trigger>接入'\n",
        include_str!("../rules/events.toml")
    );
    let rules = RuleSet::from_files(embedded_with("events.toml", &events)).unwrap();
    let err = Pipeline::new(&rules).err().expect("must fail").to_string();
    assert!(
        err.contains("event.broken") && err.contains("bad regex"),
        "{err}"
    );
}

#[test]
fn an_unknown_fragment_is_an_error() {
    let events = format!(
        "{}\n[[rule]]\nid = \"event.frag\"\npattern = '{{nosuch}}(?P<trigger>接入)'\n",
        include_str!("../rules/events.toml")
    );
    let rules = RuleSet::from_files(embedded_with("events.toml", &events)).unwrap();
    let err = Pipeline::new(&rules).err().expect("must fail").to_string();
    assert!(err.contains("unknown fragment {nosuch}"), "{err}");
}

#[test]
fn every_default_group_is_a_known_entity() {
    let g = &PIPELINE.rules().gazetteer;
    for e in &g.entities {
        if let Some(group) = &e.group {
            assert!(
                g.by_name(group).is_some(),
                "{}: group {group:?} is not in the gazetteer",
                e.name
            );
        }
    }
    assert!(
        g.entities.len() >= 150,
        "only {} entities",
        g.entities.len()
    );
}
