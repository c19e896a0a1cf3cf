//! Complaints: the kinds, their facts, and the validation of the filing form.
//!
//! A complaint carries one or more problems, at most one of each kind, each with its own
//! facts, under one refund claim (one amount claimed for the whole complaint).

use chrono::NaiveDate;

use super::FieldErrors;
use super::date_input;
use super::money::{Currency, parse_amount};

pub const TITLE_MAX_CHARS: usize = 150;
pub const DESCRIPTION_MAX_CHARS: usize = 5000;
pub const REFERENCE_MAX_CHARS: usize = 100;
pub const PROVIDER_NAME_MAX_CHARS: usize = 100;

choices!(Kind { ServiceCut = "service_cut", PriceHike = "price_hike", Billing = "billing", Other = "other" });
choices!(Service { Mobile = "mobile", Landline = "landline", Internet = "internet", InternationalCalls = "international_calls" });
choices!(Announcement { Letter = "letter", Email = "email", Sms = "sms", None = "none", Unknown = "unknown" });
choices!(BillingIssue { AfterCancellation = "after_cancellation", DoubleCharge = "double_charge", Unexplained = "unexplained" });

/// The facts typed as dates, with their day, month and year boxes.
pub const DATE_BOXES: [(&str, [&str; 3]); 4] = [
    (
        "started_on",
        ["started_on-day", "started_on-month", "started_on-year"],
    ),
    (
        "ended_on",
        ["ended_on-day", "ended_on-month", "ended_on-year"],
    ),
    (
        "effective_on",
        [
            "effective_on-day",
            "effective_on-month",
            "effective_on-year",
        ],
    ),
    (
        "charged_on",
        ["charged_on-day", "charged_on-month", "charged_on-year"],
    ),
];

impl Kind {
    /// The form fields that hold this kind's facts (the same names in every form and in
    /// `POST /complaints`).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::ServiceCut => &[
                "service",
                "started_on",
                "ended_on",
                "partly_restored",
                "still_billed",
                "monthly_fee",
            ],
            Kind::PriceHike => &[
                "old_price",
                "new_price",
                "effective_on",
                "announced_by",
                "notice_received",
            ],
            Kind::Billing => &["billing_issue", "charged_on", "charged_amount"],
            Kind::Other => &[],
        }
    }

    /// The names this kind's facts are posted under by the browser's forms: its fields,
    /// each date as its three boxes (`date_input`) beside its one-field form (`POST
    /// /complaints`).
    pub fn form_fields(self) -> Vec<&'static str> {
        self.fields()
            .iter()
            .flat_map(|f| {
                let boxes = DATE_BOXES
                    .iter()
                    .find(|(date, _)| date == f)
                    .map_or(&[][..], |(_, boxes)| &boxes[..]);
                std::iter::once(*f).chain(boxes.iter().copied())
            })
            .collect()
    }

    fn bit(self) -> u8 {
        let i = Kind::ALL.iter().position(|k| *k == self).unwrap_or(0);
        1 << i
    }
}

/// The kinds of a complaint's problems, as a set. Stored and counted as one text: the kinds
/// in the order of `Kind::ALL`, joined by `+` (`service_cut+price_hike`); a complaint of one
/// kind is just that kind's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Kinds(u8);

impl Kinds {
    pub fn of(kinds: impl IntoIterator<Item = Kind>) -> Kinds {
        Kinds(kinds.into_iter().fold(0, |bits, k| bits | k.bit()))
    }

    pub fn contains(self, kind: Kind) -> bool {
        self.0 & kind.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds in the order of `Kind::ALL`.
    pub fn iter(self) -> impl Iterator<Item = Kind> {
        Kind::ALL.iter().copied().filter(move |k| self.contains(*k))
    }

    pub fn as_string(self) -> String {
        self.iter().map(Kind::as_str).collect::<Vec<_>>().join("+")
    }

    /// The set a stored text names; `None` when empty, unknown or repeated.
    pub fn parse(s: &str) -> Option<Kinds> {
        let mut set = Kinds::default();
        for part in s.split('+') {
            let kind = Kind::parse(part)?;
            if set.contains(kind) {
                return None;
            }
            set = Kinds(set.0 | kind.bit());
        }
        (!set.is_empty()).then_some(set)
    }

    /// Every set that holds `kind`: what a filter on one kind selects.
    pub fn containing(kind: Kind) -> Vec<Kinds> {
        (1..(1u8 << Kind::ALL.len()))
            .map(Kinds)
            .filter(|set| set.contains(kind))
            .collect()
    }
}

/// The facts each kind captures. Amounts are minor units of the complaint's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Facts {
    ServiceCut {
        service: Service,
        started_on: NaiveDate,
        ended_on: Option<NaiveDate>,
        partly_restored: bool,
        still_billed: bool,
        monthly_fee: Option<i64>,
    },
    PriceHike {
        old_price: i64,
        new_price: i64,
        effective_on: NaiveDate,
        announced_by: Announcement,
        notice_received: bool,
    },
    Billing {
        issue: BillingIssue,
        charged_on: NaiveDate,
        charged_amount: i64,
    },
    Other,
}

impl Facts {
    /// The price rise in percent, for a price hike.
    pub fn increase_percent(&self) -> Option<i64> {
        match self {
            Facts::PriceHike {
                old_price,
                new_price,
                ..
            } => increase_percent(*old_price, *new_price),
            _ => None,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Facts::ServiceCut { .. } => Kind::ServiceCut,
            Facts::PriceHike { .. } => Kind::PriceHike,
            Facts::Billing { .. } => Kind::Billing,
            Facts::Other => Kind::Other,
        }
    }
}

/// Which provider the complaint is against: one from the directory, or a name the
/// subscriber typed, filed against a pending provider an admin will review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderChoice {
    Listed(String),
    New(String),
}

/// The select's value for "my provider is not in the list".
pub const PROVIDER_OTHER: &str = "other";

/// A valid complaint, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub provider: ProviderChoice,
    pub title: String,
    pub description: String,
    pub contract_ref: Option<String>,
    pub amount_claimed: Option<i64>,
    pub currency: Currency,
    pub share_with_associations: bool,
    /// One per kind chosen, in the order of `Kind::ALL`.
    pub problems: Vec<Facts>,
}

impl Draft {
    pub fn kinds(&self) -> Kinds {
        kinds_of(&self.problems)
    }
}

pub fn kinds_of(problems: &[Facts]) -> Kinds {
    Kinds::of(problems.iter().map(Facts::kind))
}

/// The price rise in percent, when one of the problems is a price hike.
pub fn increase_of(problems: &[Facts]) -> Option<i64> {
    problems.iter().find_map(Facts::increase_percent)
}

/// Why a complaint's facts or amount cannot change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditRefused {
    /// The claim has gone to the provider: what it said stays as sent.
    AlreadySent,
    /// A claim keeps an amount (to give it up, withdraw the claim).
    AmountNeeded,
}

impl EditRefused {
    /// The catalog key of the reason's text.
    pub fn message_key(self) -> &'static str {
        match self {
            EditRefused::AlreadySent => "error-edit-sent",
            EditRefused::AmountNeeded => "error-edit-amount-needed",
        }
    }
}

/// Whether a complaint whose claim is in `state` (none: no amount claimed) may take new
/// facts and the amount `amount`: only until the claim is sent.
pub fn may_edit(
    state: Option<super::claim::State>,
    amount: Option<i64>,
) -> Result<(), EditRefused> {
    match state {
        None => Ok(()),
        Some(super::claim::State::Filed) if amount.is_some() => Ok(()),
        Some(super::claim::State::Filed) => Err(EditRefused::AmountNeeded),
        Some(_) => Err(EditRefused::AlreadySent),
    }
}

/// The increase in whole percent, rounded half up: 15 -> 89 is +493 %.
pub fn increase_percent(old: i64, new: i64) -> Option<i64> {
    if old <= 0 {
        return None;
    }
    let diff = i128::from(new) - i128::from(old);
    let scaled = diff * 200
        + if diff >= 0 {
            i128::from(old)
        } else {
            -i128::from(old)
        };
    i64::try_from(scaled / (2 * i128::from(old))).ok()
}

/// Reads the filing form. `kinds` are the values of the repeated `kind` field; `get(name)`
/// gives any other field's value ("" when absent). A fact typed for a kind not chosen is an
/// error on its field: nothing typed is dropped without a word.
pub fn validate(
    kinds: &[String],
    get: &dyn Fn(&str) -> String,
    today: NaiveDate,
) -> Result<Draft, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut v = Reader {
        get,
        errors: &mut errors,
        today,
    };

    let provider = v.provider();
    let kinds = v.kinds(kinds);
    let title = v.text("title", TITLE_MAX_CHARS, true);
    let description = v.text("description", DESCRIPTION_MAX_CHARS, true);
    let contract_ref = v.text("contract_ref", REFERENCE_MAX_CHARS, false);
    let currency = v.currency();
    let money = currency.unwrap_or(Currency::Eur);
    let amount_claimed = v.amount("amount_claimed", money, false);
    let share = !get("share_with_associations").is_empty();

    let problems = kinds.and_then(|kinds| {
        v.not_chosen(kinds);
        kinds
            .iter()
            .map(|kind| match kind {
                Kind::ServiceCut => v.service_cut(money),
                Kind::PriceHike => v.price_hike(money),
                Kind::Billing => v.billing(money),
                Kind::Other => Some(Facts::Other),
            })
            // Every kind is read, so that each wrong field is named.
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<Option<Vec<Facts>>>()
    });

    match (
        provider,
        title,
        description,
        contract_ref,
        amount_claimed,
        currency,
        problems,
    ) {
        (
            Some(provider),
            Some(Some(title)),
            Some(Some(description)),
            Some(contract_ref),
            Some(amount_claimed),
            Some(currency),
            Some(problems),
        ) if errors.is_empty() => Ok(Draft {
            provider,
            title,
            description,
            contract_ref,
            amount_claimed: amount_claimed.filter(|a| *a > 0),
            currency,
            share_with_associations: share,
            problems,
        }),
        _ => Err(errors),
    }
}

/// Reads fields one by one, noting what is wrong. Each reader returns `None` when the field
/// is wrong; optional fields give `Some(None)` when empty.
pub(crate) struct Reader<'a> {
    pub(crate) get: &'a dyn Fn(&str) -> String,
    pub(crate) errors: &'a mut FieldErrors,
    pub(crate) today: NaiveDate,
}

impl Reader<'_> {
    /// The kinds chosen: at least one, each known, none twice.
    fn kinds(&mut self, values: &[String]) -> Option<Kinds> {
        let mut set = Kinds::default();
        for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            let Some(kind) = Kind::parse(value) else {
                self.errors.add("kind", "error-choice");
                return None;
            };
            if set.contains(kind) {
                self.errors.add("kind", "error-kind-repeated");
                return None;
            }
            set = Kinds::of(set.iter().chain([kind]));
        }
        if set.is_empty() {
            self.errors.add("kind", "error-required");
            return None;
        }
        Some(set)
    }

    /// Names each fact filled in for a kind that is not chosen (a date in any of its boxes).
    fn not_chosen(&mut self, chosen: Kinds) {
        for kind in Kind::ALL.iter().filter(|k| !chosen.contains(**k)) {
            for posted in kind.form_fields() {
                let field = posted.split('-').next().unwrap_or(posted);
                if !(self.get)(posted).trim().is_empty() && self.errors.get(field).is_none() {
                    self.errors.add(field, "error-fact-not-chosen");
                }
            }
        }
    }

    /// The currency, euros when none is chosen.
    pub(crate) fn currency(&mut self) -> Option<Currency> {
        match (self.get)("currency").trim() {
            "" => Some(Currency::Eur),
            code => {
                let c = Currency::parse(code);
                if c.is_none() {
                    self.errors.add("currency", "error-choice");
                }
                c
            }
        }
    }

    /// The facts of a service cut.
    fn service_cut(&mut self, money: Currency) -> Option<Facts> {
        let service = self.choice("service", Service::parse);
        let started_on = self.date("started_on", true);
        let ended_on = self.date("ended_on", false);
        if let (Some(Some(start)), Some(Some(end))) = (started_on, ended_on)
            && end < start
        {
            self.errors.add("ended_on", "error-date-order");
        }
        let monthly_fee = self.amount("monthly_fee", money, false);
        match (service, started_on, ended_on, monthly_fee) {
            (Some(service), Some(Some(started_on)), Some(ended_on), Some(monthly_fee)) => {
                Some(Facts::ServiceCut {
                    service,
                    started_on,
                    ended_on,
                    partly_restored: !(self.get)("partly_restored").is_empty(),
                    still_billed: !(self.get)("still_billed").is_empty(),
                    monthly_fee,
                })
            }
            _ => None,
        }
    }

    /// The facts of a price hike.
    fn price_hike(&mut self, money: Currency) -> Option<Facts> {
        let old_price = self.amount("old_price", money, true);
        let new_price = self.amount("new_price", money, true);
        if let (Some(Some(old)), Some(Some(new))) = (old_price, new_price)
            && new <= old
        {
            self.errors.add("new_price", "error-price-not-higher");
        }
        let effective_on = self.date("effective_on", true);
        let announced_by = self.choice("announced_by", Announcement::parse);
        match (old_price, new_price, effective_on, announced_by) {
            (
                Some(Some(old_price)),
                Some(Some(new_price)),
                Some(Some(effective_on)),
                Some(announced_by),
            ) => Some(Facts::PriceHike {
                old_price,
                new_price,
                effective_on,
                announced_by,
                notice_received: !(self.get)("notice_received").is_empty(),
            }),
            _ => None,
        }
    }

    /// The facts of a billing problem.
    fn billing(&mut self, money: Currency) -> Option<Facts> {
        let issue = self.choice("billing_issue", BillingIssue::parse);
        let charged_on = self.date("charged_on", true);
        let charged_amount = self.amount("charged_amount", money, true);
        match (issue, charged_on, charged_amount) {
            (Some(issue), Some(Some(charged_on)), Some(Some(charged_amount))) => {
                Some(Facts::Billing {
                    issue,
                    charged_on,
                    charged_amount,
                })
            }
            _ => None,
        }
    }
}

impl Reader<'_> {
    fn provider(&mut self) -> Option<ProviderChoice> {
        let slug = (self.get)("provider").trim().to_string();
        let other = (self.get)("provider_other").trim().to_string();
        if slug.is_empty() || slug == PROVIDER_OTHER {
            if other.is_empty() {
                let field = if slug.is_empty() {
                    "provider"
                } else {
                    "provider_other"
                };
                self.errors.add(field, "error-provider-required");
                return None;
            }
            if other.chars().count() > PROVIDER_NAME_MAX_CHARS {
                self.errors.add("provider_other", "error-too-long");
                return None;
            }
            return Some(ProviderChoice::New(other));
        }
        Some(ProviderChoice::Listed(slug))
    }

    pub(crate) fn choice<T>(
        &mut self,
        field: &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let value = (self.get)(field);
        let parsed = parse(value.trim());
        if parsed.is_none() {
            self.errors.add(
                field,
                if value.trim().is_empty() {
                    "error-required"
                } else {
                    "error-choice"
                },
            );
        }
        parsed
    }

    pub(crate) fn text(
        &mut self,
        field: &'static str,
        max: usize,
        required: bool,
    ) -> Option<Option<String>> {
        let value = (self.get)(field).trim().to_string();
        if value.is_empty() {
            if required {
                self.errors.add(field, "error-required");
                return None;
            }
            return Some(None);
        }
        if value.chars().count() > max {
            self.errors.add(field, "error-too-long");
            return None;
        }
        Some(Some(value))
    }

    /// A date typed in its day, month and year boxes (see `date_input::read`), or as one
    /// strict `YYYY-MM-DD` field (`POST /complaints`, and the forms that send a date input):
    /// each way with its own messages, which name the box to correct. Not after today.
    pub(crate) fn date(
        &mut self,
        field: &'static str,
        required: bool,
    ) -> Option<Option<NaiveDate>> {
        let whole = (self.get)(field);
        let (read, future) = if whole.trim().is_empty() {
            let read = date_input::read(self.get, field).map_err(|e| e.message_key());
            (read, date_input::FUTURE_KEY)
        } else {
            let read = parse_date(&whole).map(Some).ok_or("error-date-invalid");
            (read, "error-date-future")
        };
        match read {
            Ok(None) if required => {
                self.errors.add(field, "error-required");
                None
            }
            Ok(None) => Some(None),
            Err(key) => {
                self.errors.add(field, key);
                None
            }
            Ok(Some(d)) if d > self.today => {
                self.errors.add(field, future);
                None
            }
            Ok(Some(d)) => Some(Some(d)),
        }
    }

    pub(crate) fn amount(
        &mut self,
        field: &'static str,
        currency: Currency,
        required: bool,
    ) -> Option<Option<i64>> {
        let value = (self.get)(field);
        if value.trim().is_empty() && !required {
            return Some(None);
        }
        match parse_amount(&value, currency) {
            Ok(a) => Some(Some(a)),
            Err(key) => {
                self.errors.add(field, key);
                None
            }
        }
    }
}

/// An ISO date as date inputs send it: `YYYY-MM-DD`, nothing else.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    // Strictly `YYYY-MM-DD`: chrono's parser also takes signs and spaces inside.
    let s = s.trim();
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    let year: i32 = s[..4].parse().ok()?;
    if year < 1900 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, s[5..7].parse().ok()?, s[8..10].parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn dates_are_strictly_year_month_day() {
        assert_eq!(
            parse_date(" 2026-02-28 "),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        // Found by the `dates` fuzz target: chrono alone takes a sign and spaces inside.
        for bad in [
            "-22-\n2-\n 2",
            "-022-02-02",
            "+2026-1-01",
            "2026-02-30",
            "2026-13-01",
            "0999-01-01",
            "2026/02/28",
            "2026-2-028",
            "٢٠٢٦-٠٢-٢٨",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    fn check(fields: &[(&str, &str)]) -> Result<Draft, FieldErrors> {
        let map: HashMap<String, String> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let kinds: Vec<String> = fields
            .iter()
            .filter(|(k, _)| *k == "kind")
            .map(|(_, v)| v.to_string())
            .collect();
        validate(
            &kinds,
            &|name| map.get(name).cloned().unwrap_or_default(),
            today(),
        )
    }

    const COMMON: [(&str, &str); 5] = [
        ("provider", "kleema"),
        ("title", "Cut and still billed"),
        ("description", "Since 7 September the line is dead."),
        ("amount_claimed", "89,50"),
        ("currency", "EUR"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut all = COMMON.to_vec();
        for (k, v) in extra {
            all.retain(|(key, _)| key != k);
            all.push((k, v));
        }
        all
    }

    #[test]
    fn a_service_cut() {
        let d = check(&with(&[
            ("kind", "service_cut"),
            ("service", "international_calls"),
            ("started_on", "2009-09-07"),
            ("still_billed", "on"),
            ("monthly_fee", "15"),
        ]))
        .unwrap();
        assert_eq!(d.amount_claimed, Some(8950));
        assert_eq!(d.provider, ProviderChoice::Listed("kleema".into()));
        assert!(!d.share_with_associations);
        assert_eq!(d.kinds().as_string(), "service_cut");
        assert_eq!(
            d.problems,
            vec![Facts::ServiceCut {
                service: Service::InternationalCalls,
                started_on: NaiveDate::from_ymd_opt(2009, 9, 7).unwrap(),
                ended_on: None,
                partly_restored: false,
                still_billed: true,
                monthly_fee: Some(1500),
            }]
        );
    }

    /// The seed case: the line cut while billed and a price rise never notified, one claim.
    #[test]
    fn two_problems_under_one_claim() {
        let d = check(&with(&[
            ("kind", "price_hike"),
            ("service", "international_calls"),
            ("started_on", "2009-09-07"),
            ("still_billed", "on"),
            ("old_price", "15"),
            ("new_price", "89"),
            ("effective_on", "2009-10-01"),
            ("announced_by", "email"),
        ]))
        .map(|_| ())
        .unwrap_err();
        assert_eq!(d.get("service"), Some("error-fact-not-chosen"));
        assert_eq!(d.get("started_on"), Some("error-fact-not-chosen"));
        assert_eq!(d.get("still_billed"), Some("error-fact-not-chosen"));
        assert_eq!(d.get("old_price"), None);

        let mut fields = with(&[
            ("kind", "price_hike"),
            ("service", "international_calls"),
            ("started_on", "2009-09-07"),
            ("still_billed", "on"),
            ("old_price", "15"),
            ("new_price", "89"),
            ("effective_on", "2009-10-01"),
            ("announced_by", "email"),
        ]);
        fields.push(("kind", "service_cut"));
        let d = check(&fields).unwrap();
        assert_eq!(d.amount_claimed, Some(8950));
        assert_eq!(d.kinds().as_string(), "service_cut+price_hike");
        assert_eq!(d.problems.len(), 2);
        assert_eq!(d.problems[0].kind(), Kind::ServiceCut);
        assert_eq!(increase_of(&d.problems), Some(493));

        fields.push(("kind", "service_cut"));
        assert_eq!(
            check(&fields).unwrap_err().get("kind"),
            Some("error-kind-repeated")
        );
        let e = check(&COMMON).unwrap_err();
        assert_eq!(e.get("kind"), Some("error-required"));
    }

    #[test]
    fn edits_stop_when_the_claim_is_sent() {
        use crate::domain::claim::State;
        assert_eq!(may_edit(None, None), Ok(()));
        assert_eq!(may_edit(None, Some(8900)), Ok(()));
        assert_eq!(may_edit(Some(State::Filed), Some(100)), Ok(()));
        assert_eq!(
            may_edit(Some(State::Filed), None),
            Err(EditRefused::AmountNeeded)
        );
        for state in [
            State::Sent,
            State::Answered,
            State::Escalated,
            State::Resolved,
            State::Withdrawn,
        ] {
            assert_eq!(
                may_edit(Some(state), Some(100)),
                Err(EditRefused::AlreadySent)
            );
        }
    }

    #[test]
    fn kind_sets() {
        let both = Kinds::of([Kind::PriceHike, Kind::ServiceCut]);
        assert_eq!(both.as_string(), "service_cut+price_hike");
        assert_eq!(Kinds::parse("price_hike+service_cut"), Some(both));
        assert_eq!(Kinds::parse("other"), Some(Kinds::of([Kind::Other])));
        for bad in ["", "other+other", "x", "billing+", "+billing"] {
            assert_eq!(Kinds::parse(bad), None, "{bad:?}");
        }
        let with_billing = Kinds::containing(Kind::Billing);
        assert_eq!(with_billing.len(), 8);
        assert!(with_billing.iter().all(|s| s.contains(Kind::Billing)));
        for set in (1u8..16).map(Kinds) {
            assert_eq!(Kinds::parse(&set.as_string()), Some(set));
        }
    }

    #[test]
    fn a_price_hike_and_its_increase() {
        let d = check(&with(&[
            ("kind", "price_hike"),
            ("old_price", "15"),
            ("new_price", "89"),
            ("effective_on", "2009-10-01"),
            ("announced_by", "email"),
        ]))
        .unwrap();
        assert!(matches!(
            d.problems[0],
            Facts::PriceHike {
                notice_received: false,
                ..
            }
        ));
        assert_eq!(increase_percent(1500, 8900), Some(493));
        assert_eq!(increase_percent(1000, 1005), Some(1));
        assert_eq!(increase_percent(1000, 1004), Some(0));
        assert_eq!(increase_percent(0, 10), None);
    }

    #[test]
    fn billing_and_other() {
        let d = check(&with(&[
            ("kind", "billing"),
            ("billing_issue", "double_charge"),
            ("charged_on", "2026-10-02"),
            ("charged_amount", "29.99"),
            ("share_with_associations", "on"),
            ("currency", "mad"),
        ]))
        .unwrap();
        assert_eq!(d.currency, Currency::Mad);
        assert!(d.share_with_associations);
        let other = check(&with(&[
            ("kind", "other"),
            ("amount_claimed", ""),
            ("provider", "other"),
            ("provider_other", "Wana"),
        ]))
        .unwrap();
        assert_eq!(other.amount_claimed, None);
        assert_eq!(other.provider, ProviderChoice::New("Wana".into()));
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = check(&[
            ("kind", "price_hike"),
            ("old_price", "abc"),
            ("new_price", "10"),
            ("effective_on", "2099-01-01"),
            ("announced_by", "pigeon"),
            ("currency", "XXX"),
        ])
        .unwrap_err();
        assert_eq!(e.get("provider"), Some("error-provider-required"));
        assert_eq!(e.get("title"), Some("error-required"));
        assert_eq!(e.get("description"), Some("error-required"));
        assert_eq!(e.get("old_price"), Some("error-amount-invalid"));
        assert_eq!(e.get("effective_on"), Some("error-date-future"));
        assert_eq!(e.get("announced_by"), Some("error-choice"));
        assert_eq!(e.get("currency"), Some("error-choice"));

        let e = check(&with(&[
            ("kind", "service_cut"),
            ("service", "mobile"),
            ("started_on", "2026-10-10"),
            ("ended_on", "2026-10-01"),
        ]))
        .unwrap_err();
        assert_eq!(e.get("ended_on"), Some("error-date-order"));
        let e = check(&with(&[
            ("kind", "service_cut"),
            ("service", "mobile"),
            ("started_on", "10/10/2026"),
        ]))
        .unwrap_err();
        assert_eq!(e.get("started_on"), Some("error-date-invalid"));
        let e = check(&with(&[
            ("kind", "price_hike"),
            ("old_price", "20"),
            ("new_price", "15"),
            ("effective_on", "2026-01-01"),
            ("announced_by", "none"),
        ]))
        .unwrap_err();
        assert_eq!(e.get("new_price"), Some("error-price-not-higher"));
        let e = check(&with(&[("kind", "nonsense")])).unwrap_err();
        assert_eq!(e.get("kind"), Some("error-choice"));
        let long = "x".repeat(DESCRIPTION_MAX_CHARS + 1);
        let e = check(&[
            ("kind", "other"),
            ("provider", "k"),
            ("title", "t"),
            ("description", long.as_str()),
        ])
        .unwrap_err();
        assert_eq!(e.get("description"), Some("error-too-long"));
        let e = check(&with(&[("kind", "other"), ("provider", "other")])).unwrap_err();
        assert_eq!(e.get("provider_other"), Some("error-provider-required"));
        let e = check(&with(&[
            ("kind", "billing"),
            ("billing_issue", "unexplained"),
            ("charged_on", "2026-02-30"),
            ("charged_amount", "5"),
        ]))
        .unwrap_err();
        assert_eq!(e.get("charged_on"), Some("error-date-invalid"));
    }

    #[test]
    fn choices_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(*k));
        }
        for s in Service::ALL {
            assert_eq!(Service::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Announcement::parse("sms"), Some(Announcement::Sms));
        assert_eq!(BillingIssue::parse("x"), None);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_input_never_panics(values in proptest::collection::vec("\\PC{0,40}", 16)) {
            let names = ["provider", "provider_other", "kind", "title", "description", "contract_ref", "amount_claimed", "currency",
                "service", "started_on", "ended_on", "monthly_fee", "old_price", "new_price", "effective_on", "announced_by"];
            let map: HashMap<&str, String> = names.iter().copied().zip(values).collect();
            let kinds = vec![map["kind"].clone(), map["title"].clone()];
            let _ = validate(&kinds, &|n| map.get(n).cloned().unwrap_or_default(), today());
        }
    }
}
