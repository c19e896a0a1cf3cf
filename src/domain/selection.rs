//! What a statistics selection means: which providers a country or a network includes,
//! the named periods, and the orders of the providers' table.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use chrono::{Datelike, Months, NaiveDate};

use super::complaint::Kind;
use super::tally::month_of;

/// What the selection rule needs to know of a provider.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    pub slug: &'a str,
    pub country: &'a str,
    /// The operator whose network it resells, if any.
    pub network: Option<Operator<'a>>,
}

/// The network operator of a reseller: its slug and country.
#[derive(Debug, Clone, Copy)]
pub struct Operator<'a> {
    pub slug: &'a str,
    pub country: &'a str,
}

/// Whether a provider is in the selection of `country` (an ISO code) and `network` (a
/// slug), each `None` for "any".
///
/// A country selects the providers based in it AND the resellers riding on a network based
/// in it: subscribers of a French reseller on a Moroccan network (Kleema on Wana) live the
/// Moroccan network's failures, and an association asking about Morocco must see them. A
/// network selects the operator and its resellers.
///
/// Several countries or networks select what any of them selects; none selects everything.
pub fn includes(p: Placed<'_>, countries: &BTreeSet<String>, networks: &BTreeSet<String>) -> bool {
    let in_country = countries.is_empty()
        || countries.contains(p.country)
        || p.network.is_some_and(|n| countries.contains(n.country));
    let in_network = networks.is_empty()
        || networks.contains(p.slug)
        || p.network
            .is_some_and(|operator| networks.contains(operator.slug));
    in_country && in_network
}

choices!(
    /// A period named rather than given by its months.
    Period {
        Last12Months = "last-12-months",
    }
);

/// The complete months of `last-12-months`.
pub const LAST_MONTHS: u32 = 12;

impl Period {
    /// The first and last months (`YYYY-MM`) of the period on `today`: only complete months,
    /// so the 12 months before the current one.
    pub fn months(self, today: NaiveDate) -> (String, String) {
        let this_month = today.with_day(1).unwrap_or(today);
        let last = this_month
            .checked_sub_months(Months::new(1))
            .unwrap_or(this_month);
        let first = this_month
            .checked_sub_months(Months::new(LAST_MONTHS))
            .unwrap_or(this_month);
        (month_of(first), month_of(last))
    }
}

/// A column the providers' table can be sorted by; named as the JSON fields are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Complaints,
    Rate,
    Kind(Kind),
    Claims,
    Resolved,
    ResolutionRate,
    MedianDays,
    Timely,
}

impl Column {
    pub const ALL: [Column; 12] = [
        Column::Name,
        Column::Complaints,
        Column::Rate,
        Column::Kind(Kind::ServiceCut),
        Column::Kind(Kind::PriceHike),
        Column::Kind(Kind::Billing),
        Column::Kind(Kind::Other),
        Column::Claims,
        Column::Resolved,
        Column::ResolutionRate,
        Column::MedianDays,
        Column::Timely,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Complaints => "complaints",
            Column::Rate => "per_100k",
            Column::Kind(k) => k.as_str(),
            Column::Claims => "claims",
            Column::Resolved => "resolved",
            Column::ResolutionRate => "resolution_rate_percent",
            Column::MedianDays => "median_days_to_resolution",
            Column::Timely => "timely_answer_percent",
        }
    }

    pub fn parse(s: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The order of the providers' table. Written `column` (smallest first) or `-column`
/// (largest first), as JSON:API sorts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    /// Most complaints first.
    fn default() -> Sort {
        Sort {
            column: Column::Complaints,
            descending: true,
        }
    }
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        let (descending, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        Column::parse(name).map(|column| Sort { column, descending })
    }

    pub fn param(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.column.as_str()
        )
    }

    /// The order a click on `column`'s heading asks for: the other direction of the current
    /// column, else names A to Z and figures largest first (the worst provider on top).
    pub fn toggle(self, column: Column) -> Sort {
        if self.column == column {
            Sort {
                column,
                descending: !self.descending,
            }
        } else {
            Sort {
                column,
                descending: column != Column::Name,
            }
        }
    }

    /// Compares two rows' values in this order. A value that is not shown (hidden below
    /// the minimum volume, or without subscribers) comes last either way: a hidden rate is
    /// neither the best nor the worst.
    pub fn compare(self, a: Option<f64>, b: Option<f64>) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => {
                let order = a.total_cmp(&b);
                if self.descending {
                    order.reverse()
                } else {
                    order
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed<'a>(
        slug: &'a str,
        country: &'a str,
        network: Option<(&'a str, &'a str)>,
    ) -> Placed<'a> {
        Placed {
            slug,
            country,
            network: network.map(|(slug, country)| Operator { slug, country }),
        }
    }

    fn set(values: &[&str]) -> BTreeSet<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    fn one(value: Option<&str>) -> BTreeSet<String> {
        value.into_iter().map(str::to_string).collect()
    }

    fn includes(p: Placed<'_>, country: Option<&str>, network: Option<&str>) -> bool {
        super::includes(p, &one(country), &one(network))
    }

    #[test]
    fn several_countries_or_networks_select_any_of_them() {
        let kleema = placed("kleema", "FR", Some(("wana", "MA")));
        let djezzy = placed("djezzy", "DZ", None);
        assert!(super::includes(kleema, &set(&["TN", "MA"]), &set(&[])));
        assert!(!super::includes(djezzy, &set(&["TN", "MA"]), &set(&[])));
        assert!(super::includes(kleema, &set(&[]), &set(&["sfr", "wana"])));
        assert!(!super::includes(djezzy, &set(&[]), &set(&["sfr", "wana"])));
    }

    #[test]
    fn a_reseller_is_in_its_networks_country() {
        let kleema = placed("kleema", "FR", Some(("wana", "MA")));
        let wana = placed("wana", "MA", None);
        let orange = placed("orange", "FR", None);
        assert!(includes(kleema, Some("MA"), None), "on a Moroccan network");
        assert!(includes(kleema, Some("FR"), None), "and based in France");
        assert!(includes(wana, Some("MA"), None));
        assert!(!includes(orange, Some("MA"), None));
        assert!(!includes(kleema, Some("TN"), None));
        assert!(includes(orange, None, None));
    }

    #[test]
    fn a_network_is_the_operator_and_its_resellers() {
        let kleema = placed("kleema", "FR", Some(("wana", "MA")));
        let wana = placed("wana", "MA", None);
        let orange = placed("orange", "FR", None);
        assert!(includes(kleema, None, Some("wana")));
        assert!(includes(wana, None, Some("wana")));
        assert!(!includes(orange, None, Some("wana")));
        assert!(
            !includes(wana, None, Some("kleema")),
            "not the other way round"
        );
        assert!(includes(kleema, Some("MA"), Some("wana")), "both at once");
        assert!(!includes(kleema, Some("TN"), Some("wana")));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_last_12_months_are_complete_months() {
        let months = |date| Period::Last12Months.months(date);
        assert_eq!(months(d(2026, 12, 1)), ("2025-12".into(), "2026-11".into()));
        assert_eq!(
            months(d(2026, 12, 31)),
            ("2025-12".into(), "2026-11".into())
        );
        assert_eq!(months(d(2026, 1, 15)), ("2025-01".into(), "2025-12".into()));
        assert_eq!(months(d(2024, 3, 1)), ("2023-03".into(), "2024-02".into()));
        assert_eq!(Period::parse("last-12-months"), Some(Period::Last12Months));
        assert_eq!(Period::parse("12"), None);
    }

    #[test]
    fn sorts_are_written_and_read_back() {
        for column in Column::ALL {
            for descending in [false, true] {
                let sort = Sort { column, descending };
                assert_eq!(Sort::parse(&sort.param()), Some(sort));
            }
        }
        assert_eq!(
            Sort::parse("-per_100k").map(|s| s.column),
            Some(Column::Rate)
        );
        assert_eq!(
            Sort::parse("price_hike").map(|s| s.column),
            Some(Column::Kind(Kind::PriceHike))
        );
        for bad in [
            "",
            "-",
            "--complaints",
            "rate",
            "+complaints",
            "Complaints",
            "claimed_EUR",
        ] {
            assert_eq!(Sort::parse(bad), None, "{bad}");
        }
        assert_eq!(Sort::default().param(), "-complaints");
    }

    #[test]
    fn a_heading_toggles_its_order() {
        let rate = Sort::default().toggle(Column::Rate);
        assert_eq!(rate.param(), "-per_100k", "the worst first");
        assert_eq!(rate.toggle(Column::Rate).param(), "per_100k");
        assert_eq!(rate.toggle(Column::Name).param(), "name", "names A to Z");
    }

    #[test]
    fn hidden_values_come_last_both_ways() {
        let mut values = vec![Some(3.0), None, Some(10.0), Some(1.0), None];
        let up = Sort::parse("per_100k").unwrap();
        values.sort_by(|a, b| up.compare(*a, *b));
        assert_eq!(values, vec![Some(1.0), Some(3.0), Some(10.0), None, None]);
        let down = Sort::parse("-per_100k").unwrap();
        values.sort_by(|a, b| down.compare(*a, *b));
        assert_eq!(values, vec![Some(10.0), Some(3.0), Some(1.0), None, None]);
    }
}
