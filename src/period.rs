//! Time values (`2021`, `2021-09`, `2024-Q3`, `2024-H1`, `2021-12-27`,
//! `2023/2024`) read back as the span of calendar days they cover, so that
//! merging can ask "is one a refinement of the other?" and sorting can put
//! 2021 before 2021-Q3 before 2021-09 without knowing how each was written.
//!
//! Containment generalises prefix refinement: 2021 contains 2021-09, the
//! range 2023/2024 contains 2024-05, 2024-Q3 contains 2024-09; 2021-09 and
//! 2022-03 are disjoint. A value this module cannot read is kept as text
//! and is compatible only with itself.

use std::cmp::Ordering;

/// A day as (year, month, day); months end on 31, which is harmless for
/// containment and ordering.
type Day = (i32, u32, u32);

/// A time value as the days it covers, or the raw text when unreadable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Period {
    /// First and last day, inclusive.
    Days(Day, Day),
    /// A value not in a known form.
    Opaque(String),
}

impl Period {
    /// Reads an OUTPUT.md time value.
    pub fn parse(value: &str) -> Period {
        let parsed = match value.split_once('/') {
            Some((a, b)) => span(a).zip(span(b)).map(|((s, _), (_, e))| (s, e)),
            None => span(value),
        };
        match parsed {
            Some((s, e)) if s <= e => Period::Days(s, e),
            _ => Period::Opaque(value.to_string()),
        }
    }

    /// Whether `other` lies within `self` (every period contains itself).
    pub fn contains(&self, other: &Period) -> bool {
        match (self, other) {
            (Period::Days(s, e), Period::Days(os, oe)) => s <= os && oe <= e,
            (a, b) => a == b,
        }
    }

    /// Whether one of the two refines the other.
    pub fn compatible(&self, other: &Period) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// A rough size in days: smaller is more specific.
    pub fn width(&self) -> i64 {
        match self {
            Period::Days(s, e) => ordinal(*e) - ordinal(*s),
            Period::Opaque(_) => i64::MAX,
        }
    }

    /// Chronological order: by first day, the wider first on a tie (2021
    /// before 2021-01); unreadable values after readable ones.
    pub fn chronological(&self, other: &Period) -> Ordering {
        match (self, other) {
            (Period::Days(s, e), Period::Days(os, oe)) => s.cmp(os).then(oe.cmp(e)),
            (Period::Days(..), Period::Opaque(_)) => Ordering::Less,
            (Period::Opaque(_), Period::Days(..)) => Ordering::Greater,
            (Period::Opaque(a), Period::Opaque(b)) => a.cmp(b),
        }
    }
}

fn ordinal((y, m, d): Day) -> i64 {
    i64::from(y) * 372 + i64::from(m) * 31 + i64::from(d)
}

/// First and last day of one non-range value.
fn span(v: &str) -> Option<(Day, Day)> {
    let mut parts = v.split('-');
    let year: i32 = number(parts.next()?, 4)?;
    let out = match (parts.next(), parts.next(), parts.next()) {
        (None, ..) => ((year, 1, 1), (year, 12, 31)),
        (Some(q), None, _) if q.starts_with('Q') => {
            let q: u32 = number(&q[1..], 1).filter(|q| (1..=4).contains(q))?;
            ((year, q * 3 - 2, 1), (year, q * 3, 31))
        }
        (Some(h), None, _) if h.starts_with('H') => {
            let h: u32 = number(&h[1..], 1).filter(|h| (1..=2).contains(h))?;
            ((year, h * 6 - 5, 1), (year, h * 6, 31))
        }
        (Some(m), None, _) => {
            let m: u32 = number(m, 2).filter(|m| (1..=12).contains(m))?;
            ((year, m, 1), (year, m, 31))
        }
        (Some(m), Some(d), None) => {
            let m: u32 = number(m, 2).filter(|m| (1..=12).contains(m))?;
            let d: u32 = number(d, 2).filter(|d| (1..=31).contains(d))?;
            ((year, m, d), (year, m, d))
        }
        _ => return None,
    };
    Some(out)
}

/// Parses exactly `digits` ASCII digits.
fn number<T: std::str::FromStr>(s: &str, digits: usize) -> Option<T> {
    (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::Period;

    fn compatible(a: &str, b: &str) -> bool {
        Period::parse(a).compatible(&Period::parse(b))
    }

    #[test]
    fn refinements_are_compatible_and_disjoint_values_are_not() {
        assert!(compatible("2021", "2021-09"));
        assert!(compatible("2021-09-18", "2021-09"));
        assert!(compatible("2024-Q3", "2024-09-12"));
        assert!(compatible("2024-H1", "2024-Q2"));
        assert!(compatible("2023/2024", "2024-05"));
        assert!(compatible("2023/2024", "2023"));
        assert!(!compatible("2021-09", "2022-03"));
        assert!(!compatible("2024-09-05", "2024-09-12"));
        assert!(!compatible("2024-Q3", "2024-05"));
        assert!(!compatible("2023/2024", "2025"));
    }

    #[test]
    fn unreadable_values_match_only_themselves() {
        assert_eq!(Period::parse("2024-13"), Period::Opaque("2024-13".into()));
        assert!(compatible("soon", "soon"));
        assert!(!compatible("soon", "2024"));
        assert!(!compatible("", "2024"));
    }

    #[test]
    fn chronological_puts_the_wider_first_on_a_tie() {
        let mut v: Vec<Period> = ["2021-09", "2021-Q3", "2021", "2020/2021", "x"]
            .iter()
            .map(|s| Period::parse(s))
            .collect();
        v.sort_by(|a, b| a.chronological(b));
        let order: Vec<Period> = ["2020/2021", "2021", "2021-Q3", "2021-09", "x"]
            .iter()
            .map(|s| Period::parse(s))
            .collect();
        assert_eq!(v, order);
    }
}
