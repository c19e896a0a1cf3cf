//! The sender: in each instance, a task started at lift-off and stopped at shutdown, which
//! leases due messages from the outbox, renders and delivers them, and marks each sent or
//! failed; and which runs the reminder pass at start and then every
//! `reminders_every_minutes`. Several instances share the work through the leases, and the
//! reminders through the outbox's unique keys.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind as FairingKind};
use rocket::{Orbit, Rocket};

use super::render::render;
use super::transport::{self, SendError, Transport};
use crate::config::AppConfig;
use crate::db::{Db, DbConnection};
use crate::domain::mail::Kind;
use crate::store::StoreError;
use crate::store::notices;
use crate::store::outbox::{self, Queued};
use crate::web::i18n::Lang;

/// Messages leased at once: a few, so that a slow server does not hold many leases.
const BATCH: i64 = 20;

/// Starts the sender when Rocket lifts off; at a stop, lets it finish the message it is
/// sending (within the stop's bound) and puts the rest of its leases back.
pub struct MailSender {
    transport: Mutex<Option<Transport>>,
    stopping: Arc<AtomicBool>,
    task: Mutex<Option<rocket::tokio::task::JoinHandle<()>>>,
}

impl MailSender {
    pub fn new(transport: Transport) -> MailSender {
        MailSender {
            transport: Mutex::new(Some(transport)),
            stopping: Arc::new(AtomicBool::new(false)),
            task: Mutex::new(None),
        }
    }
}

#[rocket::async_trait]
impl Fairing for MailSender {
    fn info(&self) -> Info {
        Info {
            name: "mail sender",
            kind: FairingKind::Liftoff | FairingKind::Shutdown,
        }
    }

    async fn on_shutdown(&self, rocket: &Rocket<Orbit>) {
        self.stopping.store(true, Ordering::Release);
        let task = self.task.lock().map(|mut t| t.take()).unwrap_or(None);
        let bound = rocket
            .state::<AppConfig>()
            .map_or(10, |c| u64::from(c.stop_seconds));
        if let Some(task) = task
            && rocket::tokio::time::timeout(Duration::from_secs(bound), task)
                .await
                .is_err()
        {
            log::warn!("mail: the sender did not finish its message within stop_seconds");
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let taken = self.transport.lock().map(|mut t| t.take()).unwrap_or(None);
        let (Some(transport), Some(db), Some(config)) = (
            taken,
            rocket.state::<Db>().cloned(),
            rocket.state::<AppConfig>().cloned(),
        ) else {
            return;
        };
        match &transport {
            Transport::Files(..) => log::warn!("mail: {}", transport.describe()),
            Transport::Smtp(_) => log::info!("mail: {}", transport.describe()),
        }
        let stopping = self.stopping.clone();
        let task = rocket::tokio::spawn(async move {
            Sender::new(db, config, transport).run(stopping).await;
        });
        if let Ok(mut slot) = self.task.lock() {
            *slot = Some(task);
        }
    }
}

/// What one instance's sender needs.
pub struct Sender {
    db: Db,
    config: AppConfig,
    transport: Transport,
    /// This instance's name on the leases it takes.
    owner: String,
}

impl Sender {
    pub fn new(db: Db, config: AppConfig, transport: Transport) -> Sender {
        Sender {
            db,
            config,
            transport,
            owner: uuid::Uuid::new_v4().to_string(),
        }
    }

    /// Works until `stopping`, which it reads between messages, never in the middle of one.
    async fn run(self, stopping: Arc<AtomicBool>) {
        let poll = Duration::from_millis(self.config.mail_poll_ms.max(10));
        let every = Duration::from_secs(self.config.reminders_every_minutes.max(1) * 60);
        let mut next_pass = rocket::tokio::time::Instant::now();
        while !stopping.load(Ordering::Acquire) {
            if rocket::tokio::time::Instant::now() >= next_pass {
                next_pass += every;
                let profile = self.config.claim_times();
                let today = crate::store::now().date();
                if let Err(e) = self
                    .db
                    .write(move |c| notices::queue_reminders(c, &profile, today))
                    .await
                {
                    log::error!("mail: reminder pass failed: {e}");
                }
            }
            if let Err(e) = self.deliver_due(&stopping).await {
                log::error!("mail: {e}");
            }
            // Sleeping in small steps, so that a stop does not wait a whole poll.
            let woke = rocket::tokio::time::Instant::now() + poll;
            while !stopping.load(Ordering::Acquire) && rocket::tokio::time::Instant::now() < woke {
                rocket::tokio::time::sleep(poll.min(Duration::from_millis(50))).await;
            }
        }
        let owner = self.owner.clone();
        if let Err(e) = self.db.write(move |c| outbox::release(c, &owner)).await {
            log::error!("mail: could not put the leases back at stop: {e}");
        }
    }

    /// Delivers what is due now, batch after batch.
    async fn deliver_due(&self, stopping: &AtomicBool) -> Result<(), StoreError> {
        while !stopping.load(Ordering::Acquire) {
            // A read first: an idle instance does not take the write lock every poll.
            if !self.db.run(outbox::any_due).await? {
                return Ok(());
            }
            let owner = self.owner.clone();
            let until =
                crate::store::now() + chrono::Duration::seconds(self.config.mail_lease_secs.max(1));
            let leased = self
                .db
                .write(move |c| outbox::lease(c, &owner, until, BATCH))
                .await?;
            if leased.is_empty() {
                return Ok(());
            }
            for m in leased {
                if stopping.load(Ordering::Acquire) {
                    break;
                }
                let unsubscribe = match (&m.user_id, Kind::parse(&m.kind)) {
                    (Some(user), Some(kind)) if kind.is_optional() => {
                        let (u, user) = (user.clone(), user.clone());
                        // A read; the write only for an account's first optional message.
                        match self
                            .db
                            .run(move |c| notices::stored_unsubscribe_token(c, &u))
                            .await?
                        {
                            Some(token) => Some(token),
                            None => Some(
                                self.db
                                    .write(move |c| notices::unsubscribe_token(c, &user))
                                    .await?,
                            ),
                        }
                    }
                    _ => None,
                };
                let outcome = deliver(&self.transport, &self.config, &m, unsubscribe).await;
                let (owner, config) = (self.owner.clone(), self.config.clone());
                self.db
                    .write(move |c| settle(c, &m, &owner, &config, outcome))
                    .await?;
            }
        }
        Ok(())
    }
}

/// Renders and sends one leased message.
pub async fn deliver(
    transport: &Transport,
    config: &AppConfig,
    m: &Queued,
    unsubscribe_token: Option<String>,
) -> Result<(), SendError> {
    let permanent = |message: String| SendError {
        message,
        permanent: true,
    };
    let kind = Kind::parse(&m.kind).ok_or_else(|| permanent(format!("unknown kind {}", m.kind)))?;
    let lang = Lang::parse(&m.lang).unwrap_or(Lang::En);
    let params: serde_json::Value = match &m.params {
        Some(p) => serde_json::from_str(p).map_err(|e| permanent(e.to_string()))?,
        None => return Err(permanent("parameters erased".into())),
    };
    let base = config.public_url.trim_end_matches('/');
    let unsubscribe = unsubscribe_token.map(|t| format!("{base}/unsubscribe/{t}"));
    let rendered = render(kind, lang, &params, base, unsubscribe.as_deref())
        .map_err(|e| permanent(e.to_string()))?;
    let id = transport::message_id(
        m.id,
        m.created_at.and_utc().timestamp_micros(),
        &config.mail_domain(),
    );
    let message = transport::build(
        &config.mail_from,
        &m.recipient,
        id,
        rendered,
        unsubscribe.as_deref(),
    )?;
    transport.send(message).await
}

/// Records what became of a delivery.
pub fn settle(
    conn: &mut DbConnection,
    m: &Queued,
    owner: &str,
    config: &AppConfig,
    outcome: Result<(), SendError>,
) -> Result<(), StoreError> {
    match outcome {
        Ok(()) => outbox::mark_sent(conn, m, owner),
        Err(e) => {
            log::warn!("mail: message {} not delivered: {}", m.id, e.message);
            outbox::mark_failed(
                conn,
                m,
                owner,
                &e.message,
                e.permanent,
                config.mail_max_attempts,
                chrono::Duration::seconds(config.mail_retry_base_secs),
            )
        }
    }
}

/// The command line's delivery: leases and sends what is due now, on one plain connection.
/// Returns (sent, not sent).
pub fn deliver_now(
    conn: &mut DbConnection,
    config: &AppConfig,
    transport: &Transport,
) -> Result<(usize, usize), StoreError> {
    let runtime = rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let owner = format!("cli-{}", uuid::Uuid::new_v4());
    let until = crate::store::now() + chrono::Duration::seconds(config.mail_lease_secs.max(1));
    let leased = conn.write(|c| outbox::lease(c, &owner, until, i64::MAX))?;
    let (mut sent, mut unsent) = (0, 0);
    for m in leased {
        let unsubscribe = match (&m.user_id, Kind::parse(&m.kind)) {
            (Some(user), Some(kind)) if kind.is_optional() => {
                Some(conn.write(|c| notices::unsubscribe_token(c, user))?)
            }
            _ => None,
        };
        let outcome = runtime.block_on(deliver(transport, config, &m, unsubscribe));
        if outcome.is_ok() {
            sent += 1;
        } else {
            unsent += 1;
        }
        conn.write(|c| settle(c, &m, &owner, config, outcome))?;
    }
    Ok((sent, unsent))
}
