//! Mass incidents: what a declaration and its updates must say, what a joining subscriber
//! adds ("me too"), the pro-rata refund calculator, and what a joined complaint adds to its
//! incident's figures.

use chrono::{Datelike, Months, NaiveDate};

use super::FieldErrors;
use super::complaint::{
    DESCRIPTION_MAX_CHARS, Draft, Facts, ProviderChoice, REFERENCE_MAX_CHARS, Reader, Service,
    TITLE_MAX_CHARS,
};
use super::money::Currency;
use super::tally::Snapshot;

pub const SOURCES_MAX_CHARS: usize = 2000;
pub const NOTE_MAX_CHARS: usize = 1000;
/// Provider slugs are short; a longer value cannot name one.
const SLUG_MAX_CHARS: usize = 100;

choices!(
    /// What one entry of an incident's public timeline records.
    Change {
        Declared = "declared",
        Started = "started",
        PartlyRestored = "partly_restored",
        Restored = "restored",
        Closed = "closed",
    }
);

/// From `on`, `share` percent of the service is back (1 to 99).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    pub on: NaiveDate,
    pub share: u8,
}

/// An outage's dates. `restored_on` is the first day the service is fully back; a partial
/// restoration falls strictly between the start and it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub started_on: NaiveDate,
    pub partial: Option<Partial>,
    pub restored_on: Option<NaiveDate>,
}

impl Dates {
    /// The last day without the full service: the day before the restoration, or today
    /// while it lasts.
    pub fn last_day(&self, today: NaiveDate) -> NaiveDate {
        self.restored_on.and_then(|d| d.pred_opt()).unwrap_or(today)
    }

    /// The timeline entries that lead from `self` to `after`: one per date that changed.
    pub fn changes(&self, after: &Dates) -> Vec<(Change, Option<NaiveDate>, Option<u8>)> {
        let mut out = Vec::new();
        if self.started_on != after.started_on {
            out.push((Change::Started, Some(after.started_on), None));
        }
        if self.partial != after.partial {
            out.push((
                Change::PartlyRestored,
                after.partial.map(|p| p.on),
                after.partial.map(|p| p.share),
            ));
        }
        if self.restored_on != after.restored_on {
            out.push((Change::Restored, after.restored_on, None));
        }
        out
    }

    /// The same outage as one subscriber lived it, from `from` to `until` (their own
    /// dates, inside the incident's).
    pub fn narrowed(&self, from: NaiveDate, until: Option<NaiveDate>) -> Dates {
        let restored_on = until.or(self.restored_on);
        let partial = self
            .partial
            .filter(|p| restored_on.is_none_or(|r| p.on < r))
            .map(|p| Partial {
                on: p.on.max(from),
                share: p.share,
            });
        Dates {
            started_on: from,
            partial,
            restored_on,
        }
    }
}

/// A valid declaration: providers by slug, resolved by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub provider: String,
    pub network: Option<String>,
    pub service: Service,
    pub title: String,
    pub description: String,
    pub sources: String,
    pub dates: Dates,
}

/// Reads the declaration form (also the command line's options).
pub fn validate_declaration(
    get: &dyn Fn(&str) -> String,
    today: NaiveDate,
) -> Result<Declaration, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut v = Reader {
        get,
        errors: &mut errors,
        today,
    };
    let provider = v.text("provider", SLUG_MAX_CHARS, true);
    let network = v.text("network", SLUG_MAX_CHARS, false);
    let service = v.choice("service", Service::parse);
    let title = v.text("title", TITLE_MAX_CHARS, true);
    let description = v.text("description", DESCRIPTION_MAX_CHARS, false);
    let sources = v.text("sources", SOURCES_MAX_CHARS, false);
    let dates = read_dates(&mut v);
    if let (Some(Some(p)), Some(Some(n))) = (&provider, &network)
        && p == n
    {
        errors.add("network", "error-network-self");
    }
    match (
        provider,
        network,
        service,
        title,
        description,
        sources,
        dates,
    ) {
        (
            Some(Some(provider)),
            Some(network),
            Some(service),
            Some(Some(title)),
            Some(description),
            Some(sources),
            Some(dates),
        ) if errors.is_empty() => Ok(Declaration {
            provider,
            network,
            service,
            title,
            description: description.unwrap_or_default(),
            sources: sources.unwrap_or_default(),
            dates,
        }),
        _ => Err(errors),
    }
}

/// A valid update: the incident's dates as they now stand, whether joining ends, a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub dates: Dates,
    pub close: bool,
    pub note: String,
}

/// Reads the update form.
pub fn validate_update(
    get: &dyn Fn(&str) -> String,
    today: NaiveDate,
) -> Result<Update, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut v = Reader {
        get,
        errors: &mut errors,
        today,
    };
    let dates = read_dates(&mut v);
    let note = v.text("note", NOTE_MAX_CHARS, false);
    let close = !get("close").is_empty();
    match (dates, note) {
        (Some(dates), Some(note)) if errors.is_empty() => Ok(Update {
            dates,
            close,
            note: note.unwrap_or_default(),
        }),
        _ => Err(errors),
    }
}

/// The restored share: a whole percent from 1 to 99 (0 is no restoration, 100 a full one).
fn share(v: &mut Reader<'_>) -> Option<Option<u8>> {
    let raw = (v.get)("restored_share");
    let raw = raw.trim().trim_end_matches('%').trim();
    if raw.is_empty() {
        return Some(None);
    }
    match raw.parse::<u8>() {
        Ok(s) if (1..=99).contains(&s) => Some(Some(s)),
        _ => {
            v.errors.add("restored_share", "error-share");
            None
        }
    }
}

fn read_dates(v: &mut Reader<'_>) -> Option<Dates> {
    let started_on = v.date("started_on", true);
    let partly_on = v.date("partly_restored_on", false);
    let share = share(v);
    let restored_on = v.date("restored_on", false);
    let (Some(Some(started_on)), Some(partly_on), Some(share), Some(restored_on)) =
        (started_on, partly_on, share, restored_on)
    else {
        return None;
    };
    let partial = match (partly_on, share) {
        (Some(on), Some(share)) => Some(Partial { on, share }),
        (None, None) => None,
        (Some(_), None) => {
            v.errors.add("restored_share", "error-required");
            return None;
        }
        (None, Some(_)) => {
            v.errors.add("partly_restored_on", "error-required");
            return None;
        }
    };
    let mut ok = true;
    if let Some(p) = partial
        && p.on <= started_on
    {
        v.errors.add("partly_restored_on", "error-date-order");
        ok = false;
    }
    if let Some(r) = restored_on {
        if r <= started_on {
            v.errors.add("restored_on", "error-date-order");
            ok = false;
        } else if partial.is_some_and(|p| p.on >= r) {
            v.errors.add("restored_on", "error-restored-before-partial");
            ok = false;
        }
    }
    ok.then_some(Dates {
        started_on,
        partial,
        restored_on,
    })
}

/// What a subscriber joining an incident adds: what only they know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    pub contract_ref: Option<String>,
    pub currency: Currency,
    pub monthly_fee: i64,
    pub still_billed: bool,
    /// Their own dates, inside the incident's (the incident's when they left them empty).
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// The amount they claim; the calculator's total when they left it empty.
    pub amount_claimed: Option<i64>,
    pub description: Option<String>,
}

/// Reads the joining form against the incident's dates as they stand.
pub fn validate_join(
    get: &dyn Fn(&str) -> String,
    incident: &Dates,
    today: NaiveDate,
) -> Result<Join, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut v = Reader {
        get,
        errors: &mut errors,
        today,
    };
    let contract_ref = v.text("contract_ref", REFERENCE_MAX_CHARS, false);
    let currency = v.currency();
    let money = currency.unwrap_or(Currency::Eur);
    let fee = v.amount("monthly_fee", money, true);
    if fee == Some(Some(0)) {
        v.errors.add("monthly_fee", "error-fee-zero");
    }
    let still_billed = !get("still_billed").is_empty();
    let started_on = v.date("started_on", false);
    let ended_on = v.date("ended_on", false);
    let amount = v.amount("amount_claimed", money, false);
    let description = v.text("description", DESCRIPTION_MAX_CHARS, false);
    let last = incident.last_day(today);
    let start = started_on.flatten().unwrap_or(incident.started_on);
    if started_on.flatten().is_some() && (start < incident.started_on || start > last) {
        errors.add("started_on", "error-outside-incident");
    }
    if let Some(Some(end)) = ended_on {
        if end <= start {
            errors.add("ended_on", "error-date-order");
        } else if incident.restored_on.is_some_and(|r| end > r) {
            errors.add("ended_on", "error-outside-incident");
        }
    }
    match (contract_ref, currency, fee, ended_on, amount, description) {
        (
            Some(contract_ref),
            Some(currency),
            Some(Some(monthly_fee)),
            Some(ended_on),
            Some(amount_claimed),
            Some(description),
        ) if errors.is_empty() => Ok(Join {
            contract_ref,
            currency,
            monthly_fee,
            still_billed,
            started_on: start,
            ended_on,
            amount_claimed,
            description,
        }),
        _ => Err(errors),
    }
}

impl Join {
    /// Whether the subscriber's dates lie inside the incident's as they stand now (they may
    /// have changed since the form was read).
    pub fn fits(&self, incident: &Dates, today: NaiveDate) -> bool {
        self.started_on >= incident.started_on
            && self.started_on <= incident.last_day(today)
            && self
                .ended_on
                .is_none_or(|e| incident.restored_on.is_none_or(|r| e <= r))
    }

    /// The outage as this subscriber lived it.
    pub fn dates(&self, incident: &Dates) -> Dates {
        incident.narrowed(self.started_on, self.ended_on)
    }

    /// The refund the calculator proposes for this subscriber.
    pub fn refund(&self, incident: &Dates, today: NaiveDate) -> Refund {
        pro_rata(self.monthly_fee, &self.dates(incident), today)
    }

    /// The complaint filed on joining: a service cut against the incident's provider.
    pub fn draft(
        &self,
        provider_slug: &str,
        service: Service,
        title: &str,
        incident: &Dates,
        today: NaiveDate,
    ) -> Draft {
        let dates = self.dates(incident);
        let claimed = self
            .amount_claimed
            .unwrap_or_else(|| self.refund(incident, today).total);
        Draft {
            provider: ProviderChoice::Listed(provider_slug.to_string()),
            title: title.chars().take(TITLE_MAX_CHARS).collect(),
            description: self
                .description
                .clone()
                .unwrap_or_else(|| title.chars().take(DESCRIPTION_MAX_CHARS).collect()),
            contract_ref: self.contract_ref.clone(),
            amount_claimed: Some(claimed).filter(|a| *a > 0),
            currency: self.currency,
            share_with_associations: false,
            problems: vec![Facts::ServiceCut {
                service,
                started_on: dates.started_on,
                ended_on: dates.restored_on,
                partly_restored: dates.partial.is_some(),
                still_billed: self.still_billed,
                monthly_fee: Some(self.monthly_fee),
            }],
        }
    }
}

/// One billing month of the calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The month's first day.
    pub month: NaiveDate,
    pub days_in_month: u32,
    /// Days without any service.
    pub days_out: u32,
    /// Days with the service partly back, counted at the share still missing.
    pub days_partial: u32,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub lines: Vec<Line>,
    pub total: i64,
    /// The share restored on the partial days, when there were any.
    pub share: Option<u8>,
}

/// The pro-rata refund: for each calendar (billing) month touched, the monthly fee times
/// the days without service over the month's days, partly restored days counted at the
/// share still missing; each month rounded half up to the minor unit.
pub fn pro_rata(monthly_fee: i64, dates: &Dates, today: NaiveDate) -> Refund {
    let last = dates.last_day(today);
    let mut lines = Vec::new();
    let mut month = first_of_month(dates.started_on);
    while month <= last {
        let Some(next) = month.checked_add_months(Months::new(1)) else {
            break;
        };
        let month_last = next.pred_opt().unwrap_or(month);
        let days_in_month = (next - month).num_days() as u32;
        let partial_from = dates.partial.map_or(next, |p| p.on);
        let days_out = days_between(
            dates.started_on.max(month),
            last.min(month_last)
                .min(partial_from.pred_opt().unwrap_or(partial_from)),
        );
        let days_partial = match dates.partial {
            Some(p) => days_between(p.on.max(month).max(dates.started_on), last.min(month_last)),
            None => 0,
        };
        let missing = 100 - i128::from(dates.partial.map_or(0, |p| p.share));
        let numerator = i128::from(monthly_fee)
            * (i128::from(days_out) * 100 + i128::from(days_partial) * missing);
        let denominator = i128::from(days_in_month) * 100;
        let amount = ((numerator * 2 + denominator) / (denominator * 2)) as i64;
        if days_out + days_partial > 0 {
            lines.push(Line {
                month,
                days_in_month,
                days_out,
                days_partial,
                amount,
            });
        }
        month = next;
    }
    Refund {
        total: lines.iter().map(|l| l.amount).sum(),
        share: dates
            .partial
            .map(|p| p.share)
            .filter(|_| lines.iter().any(|l| l.days_partial > 0)),
        lines,
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Days from `from` to `to`, both included; 0 when `to` is before `from`.
fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    ((to - from).num_days() + 1).max(0) as u32
}

/// Whether the complaint's service cut says the subscriber was still billed.
pub fn still_billed(problems: &[Facts]) -> bool {
    problems.iter().any(|f| {
        matches!(
            f,
            Facts::ServiceCut {
                still_billed: true,
                ..
            }
        )
    })
}

pub const JOINED: &str = "joined";
pub const STILL_BILLED: &str = "still_billed";
pub const CLAIMED: &str = "claimed";
pub const REFUNDED: &str = "refunded";

/// What a joined complaint, as it stands, adds to its incident's figures: (metric,
/// currency or "", value). The live counters and a recount both use it.
pub fn contributions(still_billed: bool, s: &Snapshot) -> Vec<(&'static str, String, i64)> {
    let mut out = vec![(JOINED, String::new(), 1)];
    if still_billed {
        out.push((STILL_BILLED, String::new(), 1));
    }
    if let Some(c) = &s.claim {
        let money = s.currency.code().to_string();
        out.push((CLAIMED, money.clone(), c.amount_claimed));
        if c.state == super::claim::State::Resolved {
            out.push((REFUNDED, money, c.received.unwrap_or(0)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn form(fields: &[(&str, &str)]) -> impl Fn(&str) -> String {
        let map: HashMap<String, String> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k: &str| map.get(k).cloned().unwrap_or_default()
    }

    fn seed() -> Dates {
        Dates {
            started_on: d("2009-09-07"),
            partial: Some(Partial {
                on: d("2009-10-01"),
                share: 50,
            }),
            restored_on: Some(d("2009-11-01")),
        }
    }

    #[test]
    fn the_seed_cut_line_by_line() {
        // 30.00 a month: 24 days of 30 without service in September, all of October at half.
        let r = pro_rata(3000, &seed(), d("2026-01-01"));
        assert_eq!(r.lines.len(), 2);
        assert_eq!(
            (
                r.lines[0].days_out,
                r.lines[0].days_partial,
                r.lines[0].amount
            ),
            (24, 0, 2400)
        );
        assert_eq!(
            (
                r.lines[1].days_out,
                r.lines[1].days_partial,
                r.lines[1].amount
            ),
            (0, 31, 1500)
        );
        assert_eq!(r.total, 3900);
        assert_eq!(r.share, Some(50));
    }

    #[test]
    fn an_ongoing_cut_counts_until_today() {
        let dates = Dates {
            started_on: d("2026-02-27"),
            partial: None,
            restored_on: None,
        };
        let r = pro_rata(2800, &dates, d("2026-03-01"));
        // Two of 28 days in February, one of 31 in March.
        assert_eq!(
            r.lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
            [200, 90]
        );
    }

    #[test]
    fn a_subscriber_who_joined_after_the_partial_restoration_only_counts_partial_days() {
        let mine = seed().narrowed(d("2009-10-11"), None);
        let r = pro_rata(3100, &mine, d("2026-01-01"));
        assert_eq!(r.lines.len(), 1);
        assert_eq!((r.lines[0].days_out, r.lines[0].days_partial), (0, 21));
        assert_eq!(r.total, 1050);
    }

    #[test]
    fn declarations_check_their_dates_and_share() {
        let ok = validate_declaration(
            &form(&[
                ("provider", "kleema"),
                ("network", "wana"),
                ("service", "international_calls"),
                ("title", "Calls to Morocco cut"),
                ("started_on", "2009-09-07"),
                ("partly_restored_on", "2009-10-01"),
                ("restored_share", "40 %"),
            ]),
            d("2026-01-01"),
        )
        .unwrap();
        assert_eq!(ok.dates.partial.unwrap().share, 40);
        for (fields, field, key) in [
            (
                vec![
                    ("restored_share", "0"),
                    ("partly_restored_on", "2009-10-01"),
                ],
                "restored_share",
                "error-share",
            ),
            (
                vec![
                    ("restored_share", "100"),
                    ("partly_restored_on", "2009-10-01"),
                ],
                "restored_share",
                "error-share",
            ),
            (
                vec![
                    ("restored_share", "abc"),
                    ("partly_restored_on", "2009-10-01"),
                ],
                "restored_share",
                "error-share",
            ),
            (
                vec![("partly_restored_on", "2009-10-01")],
                "restored_share",
                "error-required",
            ),
            (
                vec![("restored_share", "50")],
                "partly_restored_on",
                "error-required",
            ),
            (
                vec![
                    ("partly_restored_on", "2009-09-01"),
                    ("restored_share", "50"),
                ],
                "partly_restored_on",
                "error-date-order",
            ),
            (
                vec![("restored_on", "2009-09-07")],
                "restored_on",
                "error-date-order",
            ),
            (
                vec![
                    ("partly_restored_on", "2009-10-01"),
                    ("restored_share", "50"),
                    ("restored_on", "2009-10-01"),
                ],
                "restored_on",
                "error-restored-before-partial",
            ),
            (
                vec![("restored_on", "2099-01-01")],
                "restored_on",
                "error-date-future",
            ),
            (vec![("network", "kleema")], "network", "error-network-self"),
        ] {
            let mut all = vec![
                ("provider", "kleema"),
                ("service", "mobile"),
                ("title", "Cut"),
                ("started_on", "2009-09-07"),
            ];
            all.extend(fields);
            let errors = validate_declaration(&form(&all), d("2026-01-01")).unwrap_err();
            assert_eq!(errors.get(field), Some(key), "{all:?}");
        }
    }

    #[test]
    fn joining_refuses_dates_outside_the_incident_and_a_zero_fee() {
        let today = d("2026-01-01");
        let ok = validate_join(&form(&[("monthly_fee", "30")]), &seed(), today).unwrap();
        assert_eq!(
            (ok.started_on, ok.ended_on, ok.monthly_fee),
            (d("2009-09-07"), None, 3000)
        );
        for (fields, field, key) in [
            (vec![("monthly_fee", "0")], "monthly_fee", "error-fee-zero"),
            (
                vec![("monthly_fee", "-3")],
                "monthly_fee",
                "error-amount-negative",
            ),
            (vec![], "monthly_fee", "error-required"),
            (
                vec![("monthly_fee", "30"), ("started_on", "2009-09-01")],
                "started_on",
                "error-outside-incident",
            ),
            (
                vec![("monthly_fee", "30"), ("started_on", "2009-11-01")],
                "started_on",
                "error-outside-incident",
            ),
            (
                vec![("monthly_fee", "30"), ("ended_on", "2009-12-01")],
                "ended_on",
                "error-outside-incident",
            ),
            (
                vec![("monthly_fee", "30"), ("ended_on", "2009-09-07")],
                "ended_on",
                "error-date-order",
            ),
        ] {
            let errors = validate_join(&form(&fields), &seed(), today).unwrap_err();
            assert_eq!(errors.get(field), Some(key), "{fields:?}");
        }
    }

    #[test]
    fn updates_name_each_date_that_moved() {
        let before = Dates {
            partial: None,
            restored_on: None,
            ..seed()
        };
        let changes = before.changes(&seed());
        assert_eq!(
            changes,
            [
                (Change::PartlyRestored, Some(d("2009-10-01")), Some(50)),
                (Change::Restored, Some(d("2009-11-01")), None)
            ]
        );
        assert!(seed().changes(&seed()).is_empty());
    }

    fn dates_strategy() -> impl Strategy<Value = (Dates, NaiveDate)> {
        (
            0i64..3000,
            1i64..400,
            proptest::option::of((1i64..400, 1u8..=99)),
            any::<bool>(),
        )
            .prop_map(|(start, len, partial, ongoing)| {
                let started_on = d("2000-01-01") + chrono::Duration::days(start);
                let restored_on = started_on + chrono::Duration::days(len);
                let partial = partial
                    .filter(|(at, _)| *at < len)
                    .map(|(at, share)| Partial {
                        on: started_on + chrono::Duration::days(at),
                        share,
                    });
                let dates = Dates {
                    started_on,
                    partial,
                    restored_on: (!ongoing).then_some(restored_on),
                };
                // While ongoing, "today" is where the restoration would have been.
                (dates, restored_on.pred_opt().unwrap())
            })
    }

    proptest! {
        #[test]
        fn the_calculation_adds_up(fee in 1i64..1_000_000, (dates, today) in dates_strategy()) {
            let r = pro_rata(fee, &dates, today);
            prop_assert_eq!(r.total, r.lines.iter().map(|l| l.amount).sum::<i64>());
            let days: i64 = r.lines.iter().map(|l| i64::from(l.days_out + l.days_partial)).sum();
            prop_assert_eq!(days, (dates.last_day(today) - dates.started_on).num_days() + 1);
            for l in &r.lines {
                prop_assert!(l.amount <= fee);
                prop_assert!(l.days_out + l.days_partial <= l.days_in_month);
                if l.days_out == l.days_in_month {
                    prop_assert_eq!(l.amount, fee);
                }
            }
            // Without service at all the whole time, the refund is never less.
            let none = Dates { partial: None, ..dates };
            prop_assert!(pro_rata(fee, &none, today).total >= r.total);
        }

        #[test]
        fn more_service_back_means_less_refund(fee in 1i64..1_000_000, (dates, today) in dates_strategy(), more in 1u8..=98) {
            if let Some(p) = dates.partial {
                let higher = Dates { partial: Some(Partial { share: (p.share.max(more) + 1).min(99), ..p }), ..dates };
                prop_assert!(pro_rata(fee, &higher, today).total <= pro_rata(fee, &dates, today).total);
            }
        }
    }
}
