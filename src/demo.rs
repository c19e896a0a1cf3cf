//! `recours seed-demo`: realistic, deterministic demo data (providers, accounts, complaints
//! of every kind over 24 months, claims in every state), loaded in bulk with its statistics.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::db::DbConnection;
use crate::domain::account::Role;
use crate::domain::claim::{self, Action, Body, Channel, Claim, Outcome, Profile, State};
use crate::domain::complaint::{Announcement, BillingIssue, Facts, Kind, Service};
use crate::domain::money::Currency;
use crate::domain::provider::ProviderInput;
use crate::password::HashError;
use crate::store::complaints::{self, ClaimRow, ComplaintRow, EventRow, ProblemRow};
use crate::store::{StoreError, providers, users};

/// Why the demo data was not loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("internal error: the demo data of seed {0} is already loaded")]
    AlreadyLoaded(u64),
    #[error("internal error: demo provider {0} refused: {1}")]
    ProviderRefused(&'static str, String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] HashError),
}

/// A provider of the demo, with its share of the complaints (in thousandths).
struct DemoProvider {
    slug: &'static str,
    name: &'static str,
    country: &'static str,
    subscribers: i64,
    network: Option<&'static str>,
    weight: u32,
}

const PROVIDERS: [DemoProvider; 11] = [
    DemoProvider {
        slug: "maroc-telecom",
        name: "Maroc Telecom",
        country: "MA",
        subscribers: 19_000_000,
        network: None,
        weight: 110,
    },
    DemoProvider {
        slug: "orange-maroc",
        name: "Orange Maroc",
        country: "MA",
        subscribers: 17_000_000,
        network: None,
        weight: 90,
    },
    DemoProvider {
        slug: "wana",
        name: "Wana",
        country: "MA",
        subscribers: 20_000_000,
        network: None,
        weight: 130,
    },
    DemoProvider {
        slug: "kleema",
        name: "Kleema",
        country: "FR",
        subscribers: 50_000,
        network: Some("wana"),
        weight: 40,
    },
    DemoProvider {
        slug: "orange",
        name: "Orange",
        country: "FR",
        subscribers: 22_000_000,
        network: None,
        weight: 120,
    },
    DemoProvider {
        slug: "sfr",
        name: "SFR",
        country: "FR",
        subscribers: 19_000_000,
        network: None,
        weight: 140,
    },
    DemoProvider {
        slug: "bouygues-telecom",
        name: "Bouygues Telecom",
        country: "FR",
        subscribers: 15_000_000,
        network: None,
        weight: 100,
    },
    DemoProvider {
        slug: "free",
        name: "Free",
        country: "FR",
        subscribers: 13_000_000,
        network: None,
        weight: 110,
    },
    DemoProvider {
        slug: "lebara",
        name: "Lebara",
        country: "FR",
        subscribers: 1_000_000,
        network: Some("sfr"),
        weight: 30,
    },
    DemoProvider {
        slug: "ooredoo-tunisie",
        name: "Ooredoo Tunisie",
        country: "TN",
        subscribers: 7_000_000,
        network: None,
        weight: 70,
    },
    DemoProvider {
        slug: "djezzy",
        name: "Djezzy",
        country: "DZ",
        subscribers: 15_000_000,
        network: None,
        weight: 60,
    },
];

/// The password of the three demo accounts the command prints.
pub const DEMO_PASSWORD: &str = "demo password 2026";

const BATCH: u64 = 50_000;

pub struct Report {
    pub complaints: u64,
    pub users: u64,
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total);
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    &items[items.len() - 1].0
}

/// A UUID whose first bytes count up: ids inserted in order keep the database's indexes
/// appending instead of splitting pages all over, which makes a million rows load fast.
fn ordered_uuid(rng: &mut StdRng, seed: u64, index: u64) -> String {
    let mut bytes: [u8; 16] = rng.r#gen();
    bytes[..4].copy_from_slice(&(seed as u32).to_be_bytes());
    bytes[4..8].copy_from_slice(&(index as u32).to_be_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

fn currency_of(country: &str) -> Currency {
    match country {
        "MA" => Currency::Mad,
        "TN" => Currency::Tnd,
        "DZ" => Currency::Dzd,
        _ => Currency::Eur,
    }
}

/// Loads `count` complaints (and the providers and accounts they need).
pub fn seed(
    conn: &mut DbConnection,
    count: u64,
    seed: u64,
    now: NaiveDateTime,
    profile: &Profile,
) -> Result<Report, DemoError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut ids = Vec::new();
    for DemoProvider {
        slug,
        name,
        country,
        subscribers,
        network,
        weight,
    } in PROVIDERS
    {
        let provider = match providers::by_slug(conn, slug)? {
            Some(p) => p,
            None => {
                let input = ProviderInput {
                    slug: slug.into(),
                    name: name.into(),
                    country: country.into(),
                    website: None,
                    subscribers: Some(subscribers),
                    network: network.map(str::to_string),
                    ..Default::default()
                };
                match conn.write(|conn| providers::add(conn, &input)) {
                    Ok(p) => p,
                    Err(crate::store::WriteError::Failed(e)) => return Err(e.into()),
                    Err(crate::store::WriteError::Refused(e)) => {
                        return Err(DemoError::ProviderRefused(slug, format!("{e:?}")));
                    }
                }
            }
        };
        ids.push(((provider.id, country), weight));
    }

    let hash = crate::password::hash_blocking(DEMO_PASSWORD)?;
    for (email, role) in [
        ("demo-subscriber@recours.example", Role::Subscriber),
        ("demo-reviewer@recours.example", Role::Reviewer),
        ("demo-admin@recours.example", Role::Admin),
    ] {
        if users::find_with_hash(conn, email)?.is_none() {
            conn.write(|conn| users::create_many(conn, &[email.to_string()], &hash, role))?;
        }
    }
    // The filers cannot log in: "!" is no Argon2 hash.
    let filers = (count / 4).max(1);
    let emails: Vec<String> = (0..filers)
        .map(|i| format!("demo{seed}-{i}@recours.example"))
        .collect();
    if users::find_with_hash(conn, &emails[0])?.is_some() {
        return Err(DemoError::AlreadyLoaded(seed));
    }
    let mut owners = Vec::with_capacity(filers as usize);
    for chunk in emails.chunks(50_000) {
        owners.extend(conn.write(|conn| users::create_many(conn, chunk, "!", Role::Subscriber))?);
    }

    // A large page cache for the load only: the indexes on random owners stay in memory.
    if let Some(c) = conn.as_sqlite() {
        diesel::connection::SimpleConnection::batch_execute(c, "PRAGMA cache_size = -262144")
            .map_err(StoreError::from)?;
    }
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let (mut rows, mut problems, mut claims, mut events) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for i in done..done + n {
            let owner = &owners[rng.gen_range(0..owners.len())];
            let (provider_id, country) = pick(&mut rng, &ids).clone();
            let id = ordered_uuid(&mut rng, seed, i);
            generate(
                &mut rng,
                now,
                profile,
                id,
                owner,
                &provider_id,
                country,
                &mut rows,
                &mut problems,
                &mut claims,
                &mut events,
            );
        }
        conn.write(|conn| complaints::insert_bulk(conn, &rows, &problems, &claims, &events))?;
        done += n;
    }
    Ok(Report {
        complaints: count,
        users: filers + 3,
    })
}

const TEXTS: [(Kind, &str, &str); 8] = [
    (
        Kind::ServiceCut,
        "Ligne coupée mais toujours facturée",
        "Le service est coupé depuis plusieurs jours, aucune information sur le site, et l'abonnement continue d'être prélevé.",
    ),
    (
        Kind::ServiceCut,
        "Internet down for weeks, still billed",
        "The connection dropped and never came back properly; customer service keeps saying it is a technical problem.",
    ),
    (
        Kind::PriceHike,
        "Hausse de tarif sans préavis",
        "Mon forfait a augmenté fortement sans que je reçoive le moindre courrier ; l'opérateur dit avoir envoyé un e-mail.",
    ),
    (
        Kind::PriceHike,
        "Price rise I was never told about",
        "My monthly price went up a lot; the provider says a notice was sent, I never received it.",
    ),
    (
        Kind::Billing,
        "Prélèvement après résiliation",
        "J'ai résilié il y a deux mois et je suis toujours prélevé chaque mois.",
    ),
    (
        Kind::Billing,
        "Charged twice this month",
        "Two identical charges on my card for the same month; no answer to my messages.",
    ),
    (
        Kind::Other,
        "Service client injoignable",
        "Impossible de joindre le service client depuis des semaines pour un changement d'offre.",
    ),
    (
        Kind::Other,
        "Contract changed without my consent",
        "Options were added to my contract that I never asked for.",
    ),
];

fn day_between(rng: &mut StdRng, from: NaiveDate, days: std::ops::Range<i64>) -> NaiveDate {
    from + Duration::days(rng.gen_range(days))
}

#[allow(clippy::too_many_arguments)]
fn generate(
    rng: &mut StdRng,
    now: NaiveDateTime,
    profile: &Profile,
    id: String,
    owner: &str,
    provider_id: &str,
    country: &str,
    rows: &mut Vec<ComplaintRow>,
    problems: &mut Vec<ProblemRow>,
    claims: &mut Vec<ClaimRow>,
    events: &mut Vec<EventRow>,
) {
    let today = now.date();
    let filed_on = today - Duration::days(rng.gen_range(0..730));
    let created_at: NaiveDateTime = filed_on
        .and_hms_opt(
            rng.gen_range(7..23),
            rng.gen_range(0..60),
            rng.gen_range(0..60),
        )
        .unwrap_or_default()
        .min(now);
    let kind = *pick(
        rng,
        &[
            (Kind::ServiceCut, 40),
            (Kind::PriceHike, 25),
            (Kind::Billing, 25),
            (Kind::Other, 10),
        ],
    );
    let texts: Vec<&(Kind, &str, &str)> = TEXTS.iter().filter(|t| t.0 == kind).collect();
    let text = texts[rng.gen_range(0..texts.len())];
    let currency = currency_of(country);
    let scale = if currency == Currency::Tnd { 1000 } else { 100 };
    let mut row = ComplaintRow::new(&id, owner, currency, created_at);
    row.provider_id = provider_id.to_string();
    row.title = text.1.into();
    row.description = text.2.into();
    row.share_with_associations = rng.gen_bool(0.4);
    let base = rng.gen_range(10..60) * scale;
    problems.push(ProblemRow::of(&id, &facts(rng, kind, base, filed_on)));
    // As in the seed case, some cuts come with a price rise, in the same complaint.
    if kind == Kind::ServiceCut && rng.gen_bool(0.2) {
        problems.push(ProblemRow::of(
            &id,
            &facts(rng, Kind::PriceHike, base, filed_on),
        ));
    }
    let at = |on: NaiveDate| on.and_hms_opt(12, 0, 0).unwrap_or_default().min(now);
    if rng.gen_bool(0.25) {
        events.push(EventRow::filing(&id, owner, at(filed_on), filed_on, None));
        rows.push(row);
        return;
    }
    let claimed = base * rng.gen_range(1..6);
    row.amount_claimed = Some(claimed);
    events.push(EventRow::filing(
        &id,
        owner,
        at(filed_on),
        filed_on,
        Some(claimed),
    ));
    let target = *pick(
        rng,
        &[
            (State::Filed, 12),
            (State::Sent, 18),
            (State::Answered, 14),
            (State::Escalated, 10),
            (State::Resolved, 40),
            (State::Withdrawn, 6),
        ],
    );
    let mut life = Life {
        claim: Claim::new(claimed, filed_on),
        last: filed_on,
        profile,
        today,
        at: &at,
        id: &id,
        owner,
        events,
    };
    walk(rng, &mut life, target);
    claims.push(ClaimRow::of(&id, &life.claim, created_at));
    rows.push(row);
}

/// The facts of a problem of this kind (drawn in a fixed order: the demo is deterministic).
fn facts(rng: &mut StdRng, kind: Kind, base: i64, filed_on: NaiveDate) -> Facts {
    match kind {
        Kind::ServiceCut => {
            let started_on = filed_on - Duration::days(rng.gen_range(0..40));
            let service = *pick(
                rng,
                &[
                    (Service::Mobile, 3),
                    (Service::Landline, 1),
                    (Service::Internet, 4),
                    (Service::InternationalCalls, 2),
                ],
            );
            let ended_on = rng
                .gen_bool(0.6)
                .then(|| (started_on + Duration::days(rng.gen_range(1..30))).min(filed_on));
            Facts::ServiceCut {
                service,
                started_on,
                ended_on,
                partly_restored: rng.gen_bool(0.3),
                still_billed: rng.gen_bool(0.7),
                monthly_fee: Some(base),
            }
        }
        Kind::PriceHike => {
            let new_price = base + base * rng.gen_range(10..500) / 100;
            let effective_on = filed_on - Duration::days(rng.gen_range(0..60));
            let announced_by = *pick(
                rng,
                &[
                    (Announcement::Email, 4),
                    (Announcement::None, 3),
                    (Announcement::Unknown, 2),
                    (Announcement::Letter, 1),
                    (Announcement::Sms, 1),
                ],
            );
            Facts::PriceHike {
                old_price: base,
                new_price,
                effective_on,
                announced_by,
                notice_received: rng.gen_bool(0.3),
            }
        }
        Kind::Billing => {
            let issue = *pick(
                rng,
                &[
                    (BillingIssue::AfterCancellation, 2),
                    (BillingIssue::DoubleCharge, 2),
                    (BillingIssue::Unexplained, 1),
                ],
            );
            Facts::Billing {
                issue,
                charged_on: filed_on - Duration::days(rng.gen_range(0..30)),
                charged_amount: base,
            }
        }
        Kind::Other => Facts::Other,
    }
}

/// Walks the claim's life until the target state or today, whichever comes first.
fn walk(rng: &mut StdRng, life: &mut Life, target: State) {
    let (filed_on, claimed) = (life.claim.filed_on, life.claim.amount_claimed);
    'life: {
        if target == State::Filed {
            break 'life;
        }
        if target == State::Withdrawn && rng.gen_bool(0.5) {
            let on = day_between(rng, filed_on, 1..30);
            life.go(Action::Withdraw { on });
            break 'life;
        }
        let on = day_between(rng, filed_on, 0..15);
        // What a move still to come would carry is not drawn.
        if !life.has_come(on) {
            break 'life;
        }
        let channel = *pick(
            rng,
            &[
                (Channel::RegisteredLetter, 3),
                (Channel::Email, 4),
                (Channel::OnlineForm, 2),
                (Channel::Letter, 1),
            ],
        );
        let send = Action::Send {
            on,
            channel,
            reference: None,
        };
        if !life.go(send) || target == State::Sent {
            break 'life;
        }
        let answered = rng.gen_bool(0.8);
        if answered {
            let on = day_between(rng, life.last, 3..50);
            if !life.has_come(on) {
                break 'life;
            }
            let offered = *pick(rng, &[(0, 3), (claimed / 2, 3), (claimed, 4)]);
            let answer = Action::Answer {
                on,
                offered,
                note: None,
            };
            if !life.go(answer) || target == State::Answered {
                break 'life;
            }
        }
        if target == State::Escalated || rng.gen_bool(0.3) {
            let on = day_between(rng, life.last, 10..70);
            let body = *pick(
                rng,
                &[
                    (Body::Mediator, 7),
                    (Body::Association, 2),
                    (Body::Court, 1),
                ],
            );
            let escalate = Action::Escalate {
                on,
                body,
                note: None,
            };
            if !life.go(escalate) || target == State::Escalated {
                break 'life;
            }
        }
        let on = day_between(rng, life.last, 5..90);
        if target == State::Withdrawn {
            life.go(Action::Withdraw { on });
            break 'life;
        }
        let outcome = *pick(
            rng,
            &[
                (Outcome::FullRefund, 45),
                (Outcome::PartialRefund, 35),
                (Outcome::NoRefund, 20),
            ],
        );
        let received = match outcome {
            Outcome::FullRefund => claimed,
            Outcome::PartialRefund => (claimed * rng.gen_range(20..90) / 100).clamp(1, claimed - 1),
            Outcome::NoRefund => 0,
        };
        life.go(Action::Resolve {
            on,
            outcome,
            received,
        });
    }
}

/// A demo claim on its way, moved through the same rules as a subscriber's moves.
struct Life<'a> {
    claim: Claim,
    /// The day of the last move.
    last: NaiveDate,
    profile: &'a Profile,
    today: NaiveDate,
    at: &'a dyn Fn(NaiveDate) -> NaiveDateTime,
    id: &'a str,
    owner: &'a str,
    events: &'a mut Vec<EventRow>,
}

impl Life<'_> {
    fn has_come(&self, on: NaiveDate) -> bool {
        on <= self.today
    }

    /// Records the move with its timeline entry, unless its day is still to come or the
    /// rules refuse it; says whether it happened.
    fn go(&mut self, action: Action) -> bool {
        let on = action.on();
        if !self.has_come(on) {
            return false;
        }
        let Ok(next) = claim::apply(&self.claim, &action, self.profile) else {
            return false;
        };
        self.events.push(EventRow::of_move(
            self.id,
            self.owner,
            (self.at)(on),
            &action,
            next.state,
        ));
        self.claim = next;
        self.last = on;
        true
    }
}
