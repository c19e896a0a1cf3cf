//! The command line: `recours [serve]`, `migrate`, `user create`, `user set-role`,
//! `provider add/import/invite`, `mail`, `reminders`, `incident declare`.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{self, AppConfig};
use crate::domain::FieldErrors;
use crate::domain::account::{Role, check_new_password, email_is_valid};
use crate::domain::directory::{self, LineError, Problem};
use crate::domain::provider;
use crate::store::providers::{self, DirectoryError};
use crate::store::stats;
use crate::store::users::{self, CreateUserError};
use crate::web::i18n::{CATALOG, Lang};

#[derive(Parser)]
#[command(
    name = "recours",
    version,
    about = "Recours: telecom complaints, refund claims and public statistics"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (what a bare `recours` does).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the provider directory.
    #[command(subcommand)]
    Provider(ProviderCommand),
    /// Load realistic demo data: providers, accounts, complaints over 24 months.
    SeedDemo {
        /// How many complaints to create.
        #[arg(long)]
        complaints: u64,
        /// The same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Check or rebuild the statistics counters.
    #[command(subcommand)]
    Stats(StatsCommand),
    /// Copy the SQLite database, while the portal serves, to a new file, and check the copy.
    Backup {
        /// The file to create (it must not exist).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Replace the SQLite database with a backup; the portal must be stopped.
    Restore {
        /// A file made by `recours backup`.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// E-mail: send a test message, see the outbox.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Deadline reminders.
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Mass incidents.
    #[command(subcommand)]
    Incident(IncidentCommand),
}

#[derive(Subcommand)]
enum IncidentCommand {
    /// Declare an incident, checked as the declaration form checks it.
    Declare {
        /// Slug of the provider whose subscribers lost the service.
        #[arg(long)]
        provider: String,
        /// mobile, landline, internet or international_calls.
        #[arg(long)]
        service: String,
        /// First day without service (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Slug of the upstream network, where a wholesale dispute is the cause.
        #[arg(long)]
        network: Option<String>,
        /// Public title; "<provider>: <service> cut since <from>" when not given.
        #[arg(long)]
        title: Option<String>,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Queue a test message to this address and deliver what is due now.
    SendTest {
        #[arg(long)]
        to: String,
    },
    /// Count the messages waiting, sent and failed, with the last error.
    Outbox,
}

#[derive(Subcommand)]
enum RemindersCommand {
    /// Queue the reminders due on that day (default: today) and deliver what is due now.
    /// Idempotent: each reminder is queued once per claim and deadline.
    Run {
        /// YYYY-MM-DD
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand)]
enum StatsCommand {
    /// Recount every figure from the raw rows; exit 1 listing the differences, if any.
    Verify,
    /// Rewrite the statistics counters from the raw rows.
    Rebuild,
}

#[derive(Subcommand)]
enum ProviderCommand {
    /// Add an approved provider.
    Add {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// ISO 3166 two-letter country code.
        #[arg(long)]
        country: String,
        #[arg(long)]
        website: Option<String>,
        /// Declared number of subscribers.
        #[arg(long)]
        subscribers: Option<String>,
        /// Slug of the operator whose network this provider resells.
        #[arg(long)]
        network: Option<String>,
    },
    /// Load or update providers from a directory file (the columns of directory/providers.csv),
    /// all or nothing; entries an admin edited are kept unless --force.
    Import {
        file: std::path::PathBuf,
        /// Also overwrite the entries an admin edited.
        #[arg(long)]
        force: bool,
    },
    /// Open a staff account at the provider and e-mail its holder (through the outbox) a
    /// link to set a password.
    Invite {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        email: String,
        /// The invitation's language: en or fr.
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input or a prompt.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// For `--role provider`: the slug of the provider the account answers for.
        #[arg(long)]
        provider: Option<String>,
    },
    /// Change an account's role.
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Subscriber,
    Reviewer,
    Admin,
    /// Staff of one provider (with `--provider`).
    Provider,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Subscriber => Role::Subscriber,
            RoleArg::Reviewer => Role::Reviewer,
            RoleArg::Admin => Role::Admin,
            RoleArg::Provider => Role::Provider,
        }
    }
}

/// Exit code for input the command refuses, as clap uses for wrong arguments.
const USAGE: u8 = 2;

fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let figment = config::figment();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(figment),
        Command::Migrate => with_config(&figment, migrate),
        Command::User(UserCommand::Create {
            email,
            role,
            provider,
        }) => with_config(&figment, |config| {
            create_user(config, email, role, provider)
        }),
        Command::Provider(ProviderCommand::Invite { slug, email, lang }) => {
            with_config(&figment, |config| invite_staff(config, slug, email, lang))
        }
        Command::Provider(ProviderCommand::Add {
            slug,
            name,
            country,
            website,
            subscribers,
            network,
        }) => with_config(&figment, |config| {
            add_provider(config, slug, name, country, website, subscribers, network)
        }),
        Command::Provider(ProviderCommand::Import { file, force }) => {
            with_config(&figment, |config| import_providers(config, file, force))
        }
        Command::SeedDemo { complaints, seed } => {
            with_config(&figment, |config| seed_demo(config, complaints, seed))
        }
        Command::Stats(StatsCommand::Verify) => with_config(&figment, verify_stats),
        Command::Stats(StatsCommand::Rebuild) => with_config(&figment, rebuild_stats),
        Command::Backup { to } => with_config(&figment, |config| backup(config, &to)),
        Command::Restore { from } => with_config(&figment, |config| restore(config, &from)),
        Command::Mail(MailCommand::SendTest { to }) => with_config(&figment, |c| send_test(c, &to)),
        Command::Mail(MailCommand::Outbox) => with_config(&figment, show_outbox),
        Command::Reminders(RemindersCommand::Run { on }) => {
            with_config(&figment, |c| run_reminders(c, on))
        }
        Command::User(UserCommand::SetRole { email, role }) => {
            with_config(&figment, |config| set_role(config, email, role))
        }
        Command::Incident(IncidentCommand::Declare {
            provider,
            service,
            from,
            network,
            title,
        }) => with_config(&figment, |config| {
            declare_incident(config, provider, service, from, network, title)
        }),
    }
}

/// `recours incident declare`: the options are read as the declaration form's fields.
fn declare_incident(
    config: &AppConfig,
    provider: String,
    service: String,
    from: String,
    network: Option<String>,
    title: Option<String>,
) -> Result<(), (u8, String)> {
    use crate::store::WriteError;
    use crate::store::incidents::{self, DeclareRefused};
    let title = title.unwrap_or_else(|| format!("{provider}: {service} cut since {from}"));
    let fields = [
        ("provider", Some(provider)),
        ("service", Some(service)),
        ("started_on", Some(from)),
        ("network", network),
        ("title", Some(title)),
    ];
    let get = |n: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == n)
            .and_then(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let today = chrono::Utc::now().date_naive();
    let declaration = crate::domain::incident::validate_declaration(&get, today)
        .map_err(|e| (USAGE, describe(&e).replace("--started_on", "--from")))?;
    let mut conn = migrated_connection(config)?;
    match conn.write(|conn| incidents::declare(conn, None, &declaration)) {
        Ok(id) => {
            println!("declared incident {id}: {}", declaration.title);
            Ok(())
        }
        Err(WriteError::Refused(DeclareRefused::UnknownNetwork)) => Err((
            1,
            format!(
                "network: no approved provider has the slug {:?}",
                declaration.network
            ),
        )),
        Err(WriteError::Refused(_)) => Err((
            1,
            format!(
                "provider: no approved provider has the slug {:?}",
                declaration.provider
            ),
        )),
        Err(WriteError::Failed(e)) => Err((1, e.to_string())),
    }
}

/// `recours migrate`.
fn migrate(config: &AppConfig) -> Result<(), (u8, String)> {
    let mut conn = crate::db::connect(&config.database_url()).map_err(|e| (1, e))?;
    let n = conn
        .migrate()
        .map_err(|e| (1, format!("cannot migrate the database: {e}")))?;
    println!("{n} migration(s) applied");
    Ok(())
}

/// `recours user create`: the password is asked for twice, on the terminal.
fn create_user(
    config: &AppConfig,
    email: String,
    role: RoleArg,
    provider: Option<String>,
) -> Result<(), (u8, String)> {
    if !email_is_valid(&email) {
        return Err((USAGE, format!("not a valid e-mail address: {email}")));
    }
    let mut conn = migrated_connection(config)?;
    let provider_id = match (role, provider) {
        (RoleArg::Provider, Some(slug)) => Some(approved_provider(&mut conn, &slug)?.id),
        (RoleArg::Provider, None) => {
            return Err((USAGE, "--role provider needs --provider <slug>".into()));
        }
        (_, Some(_)) => return Err((USAGE, "--provider goes with --role provider".into())),
        (_, None) => None,
    };
    let password = read_password(&email)?;
    let hash = crate::password::hash_blocking(&password).map_err(|e| (1, e.to_string()))?;
    match conn.write(|conn| match &provider_id {
        Some(id) => users::create_staff(conn, &email, &hash, id),
        None => users::create(conn, &email, &hash, role.into()),
    }) {
        Ok(user) => {
            println!("created {} ({})", user.email, user.role.as_str());
            Ok(())
        }
        Err(CreateUserError::EmailTaken) => Err((1, format!("an account already uses {email}"))),
        Err(CreateUserError::Other(e)) => Err((1, e.to_string())),
    }
}

/// The approved provider `slug` (staff are never bound to a name not reviewed yet).
fn approved_provider(
    conn: &mut crate::db::DbConnection,
    slug: &str,
) -> Result<providers::Provider, (u8, String)> {
    providers::by_slug(conn, slug)
        .map_err(|e| (1, e.to_string()))?
        .filter(|p| !p.is_pending())
        .ok_or_else(|| (USAGE, format!("no approved provider has the slug {slug}")))
}

/// `recours provider invite`.
fn invite_staff(
    config: &AppConfig,
    slug: String,
    email: String,
    lang: String,
) -> Result<(), (u8, String)> {
    if !email_is_valid(&email) {
        return Err((USAGE, format!("not a valid e-mail address: {email}")));
    }
    let lang = Lang::parse(&lang)
        .ok_or_else(|| (USAGE, format!("unknown language {lang}: en or fr")))?
        .code();
    let mut conn = migrated_connection(config)?;
    let provider = approved_provider(&mut conn, &slug)?;
    match conn.write(|conn| {
        crate::store::provider_staff::invite(conn, &provider.id, &provider.name, &email, lang, None)
    }) {
        Ok(user) => {
            println!(
                "invited {} to answer for {}; the invitation is in the outbox",
                user.email, provider.name
            );
            Ok(())
        }
        Err(CreateUserError::EmailTaken) => Err((1, format!("an account already uses {email}"))),
        Err(CreateUserError::Other(e)) => Err((1, e.to_string())),
    }
}

/// `recours provider add`: the fields are checked as the admin form checks them.
fn add_provider(
    config: &AppConfig,
    slug: String,
    name: String,
    country: String,
    website: Option<String>,
    subscribers: Option<String>,
    network: Option<String>,
) -> Result<(), (u8, String)> {
    let fields = [
        ("slug", Some(slug)),
        ("name", Some(name)),
        ("country", Some(country)),
        ("website", website),
        ("subscribers", subscribers),
        ("network", network),
    ];
    let get = |n: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == n)
            .and_then(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = provider::validate(&get).map_err(|e| (USAGE, describe(&e)))?;
    let mut conn = migrated_connection(config)?;
    match conn.write(|conn| providers::add(conn, &input)) {
        Ok(p) => {
            println!("added {} ({})", p.name, p.slug);
            Ok(())
        }
        Err(DirectoryError::Refused(e)) => Err((1, describe(&e))),
        Err(DirectoryError::Failed(e)) => Err((1, e.to_string())),
    }
}

/// `recours provider import`: every line is checked before anything is written.
fn import_providers(
    config: &AppConfig,
    file: std::path::PathBuf,
    force: bool,
) -> Result<(), (u8, String)> {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| (1, format!("cannot read {}: {e}", file.display())))?;
    let mut conn = migrated_connection(config)?;
    let report = import_directory(&mut conn, &text, force).map_err(|errors| {
        for e in &errors {
            eprintln!("{}:{}: {}", file.display(), e.line, describe_line(e));
        }
        (
            1,
            format!("{} wrong line(s): nothing imported", errors.len()),
        )
    })?;
    println!(
        "{} added, {} updated, {} unchanged, {} kept as an admin edited them{}",
        report.added.len(),
        report.updated.len(),
        report.unchanged.len(),
        report.kept.len(),
        if report.kept.is_empty() {
            String::new()
        } else {
            format!(" ({}; --force overwrites them)", report.kept.join(", "))
        }
    );
    Ok(())
}

/// `recours seed-demo`.
fn seed_demo(config: &AppConfig, complaints: u64, seed: u64) -> Result<(), (u8, String)> {
    let mut conn = migrated_connection(config)?;
    let started = std::time::Instant::now();
    let report = crate::demo::seed(
        &mut conn,
        complaints,
        seed,
        crate::store::now(),
        &config.claim_times(),
    )
    .map_err(|e| (1, e.to_string()))?;
    println!(
        "loaded {} complaints and {} accounts in {:.1} s",
        report.complaints,
        report.users,
        started.elapsed().as_secs_f64()
    );
    println!(
        "log in as demo-subscriber@recours.example, demo-reviewer@recours.example or demo-admin@recours.example, password: {}",
        crate::demo::DEMO_PASSWORD
    );
    Ok(())
}

/// `recours stats verify`: exit 1 listing the figures that differ from their recount.
fn verify_stats(config: &AppConfig) -> Result<(), (u8, String)> {
    let mut conn = migrated_connection(config)?;
    let differences = stats::verify(&mut conn).map_err(|e| (1, e.to_string()))?;
    if differences.is_empty() {
        println!("statistics verified: every figure equals its recount");
        return Ok(());
    }
    for d in &differences {
        let k = &d.key;
        println!(
            "{} {} {} {} {}: stored {}, recounted {}",
            k.provider_id,
            k.month,
            k.kinds.as_string(),
            k.metric,
            k.currency,
            d.stored,
            d.recounted
        );
    }
    Err((
        1,
        format!(
            "{} figure(s) differ from their recount; `recours stats rebuild` rewrites them",
            differences.len()
        ),
    ))
}

/// `recours stats rebuild`.
fn rebuild_stats(config: &AppConfig) -> Result<(), (u8, String)> {
    let mut conn = migrated_connection(config)?;
    let n = conn.write(stats::rebuild).map_err(|e| (1, e.to_string()))?;
    println!("statistics rebuilt: {n} counter(s)");
    Ok(())
}

/// `recours user set-role`.
fn set_role(config: &AppConfig, email: String, role: RoleArg) -> Result<(), (u8, String)> {
    if matches!(role, RoleArg::Provider) {
        return Err((
            USAGE,
            "staff are bound to a provider: use `recours provider invite`".into(),
        ));
    }
    let mut conn = migrated_connection(config)?;
    let role: Role = role.into();
    match conn.write(|conn| users::set_role(conn, &email, role)) {
        Ok(true) => {
            println!("{email} is now {}", role.as_str());
            Ok(())
        }
        Ok(false) => Err((1, format!("no account uses {email}"))),
        Err(e) => Err((1, e.to_string())),
    }
}

fn backup(config: &AppConfig, to: &std::path::Path) -> Result<(), (u8, String)> {
    let copy = crate::ops::backup::backup(&config.database_url(), to).map_err(ops_failure)?;
    println!(
        "backed up to {}: {} complaint(s), {} account(s); integrity and statistics verified",
        to.display(),
        copy.complaints,
        copy.users
    );
    Ok(())
}

fn restore(config: &AppConfig, from: &std::path::Path) -> Result<(), (u8, String)> {
    let url = config.database_url();
    let copy = crate::ops::backup::restore(&url, from).map_err(ops_failure)?;
    println!(
        "restored {} from {}: {} complaint(s), {} account(s); integrity and statistics verified",
        url,
        from.display(),
        copy.complaints,
        copy.users
    );
    Ok(())
}

fn ops_failure(e: crate::ops::backup::OpsError) -> (u8, String) {
    match e {
        crate::ops::backup::OpsError::Refused(why) => (USAGE, why),
        crate::ops::backup::OpsError::Failed(why) => (1, why),
    }
}

fn send_test(config: &AppConfig, to: &str) -> Result<(), (u8, String)> {
    if !email_is_valid(to) {
        return Err((USAGE, format!("not a valid e-mail address: {to}")));
    }
    let transport = crate::mail::transport::Transport::from_config(config).map_err(|e| (1, e))?;
    let mut conn = migrated_connection(config)?;
    let message = crate::store::outbox::NewMessage {
        kind: crate::domain::mail::Kind::Test,
        recipient: to.to_string(),
        lang: Lang::En.code().to_string(),
        user_id: None,
        params: serde_json::json!({}),
        dedup_key: None,
    };
    conn.write(|c| crate::store::outbox::enqueue(c, &message))
        .map_err(|e| (1, e.to_string()))?;
    deliver_due(config, &mut conn, &transport)
}

/// Delivers what is due now and says how it went.
fn deliver_due(
    config: &AppConfig,
    conn: &mut crate::db::DbConnection,
    transport: &crate::mail::transport::Transport,
) -> Result<(), (u8, String)> {
    println!("{}", transport.describe());
    let (sent, unsent) = crate::mail::sender::deliver_now(conn, config, transport)
        .map_err(|e| (1, e.to_string()))?;
    println!("{sent} message(s) sent, {unsent} not sent");
    if unsent > 0 {
        let summary = crate::store::outbox::summary(conn).map_err(|e| (1, e.to_string()))?;
        return Err((1, summary.last_error.unwrap_or_default()));
    }
    Ok(())
}

fn show_outbox(config: &AppConfig) -> Result<(), (u8, String)> {
    let mut conn = migrated_connection(config)?;
    let s = crate::store::outbox::summary(&mut conn).map_err(|e| (1, e.to_string()))?;
    println!(
        "waiting: {} (of which retrying: {})\nsent: {}\nfailed: {}",
        s.waiting, s.retrying, s.sent, s.failed
    );
    if let Some(e) = s.last_error {
        println!("last error: {e}");
    }
    Ok(())
}

fn run_reminders(config: &AppConfig, on: Option<chrono::NaiveDate>) -> Result<(), (u8, String)> {
    let transport = crate::mail::transport::Transport::from_config(config).map_err(|e| (1, e))?;
    let mut conn = migrated_connection(config)?;
    let today = on.unwrap_or_else(|| crate::store::now().date());
    let profile = config.claim_times();
    let queued = conn
        .write(|c| crate::store::notices::queue_reminders(c, &profile, today))
        .map_err(|e| (1, e.to_string()))?;
    println!("{queued} reminder(s) queued for {today}");
    deliver_due(config, &mut conn, &transport)
}

/// The commands use one plain connection: a pool's threads would outlive `main`, and
/// libpq crashes when the process exits under them.
fn migrated_connection(config: &AppConfig) -> Result<crate::db::DbConnection, (u8, String)> {
    let mut conn = crate::db::connect(&config.database_url()).map_err(|e| (1, e))?;
    conn.migrate()
        .map_err(|e| (1, format!("cannot migrate the database: {e}")))?;
    Ok(conn)
}

/// Field errors as one line: `--slug: Use 2 to 40 lowercase letters…`.
fn describe(errors: &FieldErrors) -> String {
    describe_fields(errors, "--")
}

fn describe_fields(errors: &FieldErrors, prefix: &str) -> String {
    errors
        .iter()
        .map(|e| {
            format!(
                "{prefix}{}: {}",
                e.field,
                CATALOG.message(Lang::En, e.message, None)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks a whole directory file, then loads it in one transaction.
fn import_directory(
    conn: &mut crate::db::DbConnection,
    text: &str,
    force: bool,
) -> Result<providers::ImportReport, Vec<LineError>> {
    let failed = |e: crate::store::StoreError| {
        vec![LineError {
            line: 0,
            problem: Problem::Unreadable(e.to_string()),
        }]
    };
    let known: std::collections::HashSet<String> = providers::all(conn)
        .map_err(failed)?
        .into_iter()
        .map(|p| p.slug)
        .collect();
    let entries = directory::parse(text, &|slug| known.contains(slug))?;
    conn.write(|conn| providers::import(conn, &entries, force))
        .map_err(failed)
}

/// One wrong line of a directory file, for a person.
fn describe_line(e: &LineError) -> String {
    match &e.problem {
        Problem::Header => format!("the first line must be {}", directory::COLUMNS.join(",")),
        Problem::Unreadable(why) => format!("unreadable: {why}"),
        Problem::FieldCount { found } => {
            format!("{found} field(s), {} expected", directory::COLUMNS.len())
        }
        Problem::Fields(errors) => describe_fields(errors, ""),
        Problem::DuplicateSlug { first_line } => {
            format!("this slug is already on line {first_line}")
        }
        Problem::UnknownNetwork(slug) => {
            format!("network: {slug} is neither in the file nor in the directory")
        }
    }
}

fn with_config(
    figment: &rocket::figment::Figment,
    f: impl FnOnce(&AppConfig) -> Result<(), (u8, String)>,
) -> ExitCode {
    let result = AppConfig::from_figment(figment)
        .map_err(|e| (USAGE, e))
        .and_then(|config| f(&config));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => fail(code, message),
    }
}

fn serve(figment: rocket::figment::Figment) -> ExitCode {
    // The redacting logger goes in before Rocket's, at the level Rocket will use (the
    // request log lowers `normal`: see `quiet_rocket`).
    if let Ok(config) = AppConfig::from_figment(&figment) {
        let format = config.request_log(&figment);
        let quiet = crate::web::request_log::quiet_rocket(figment.clone(), format);
        if let Ok(level) = quiet.extract_inner::<rocket::config::LogLevel>("log_level") {
            crate::mail::log_filter::install(level.into());
        }
    }
    let rocket = match crate::app(figment) {
        Ok(rocket) => rocket.attach(rocket::fairing::AdHoc::on_liftoff(
            "first steps",
            |rocket| Box::pin(print_first_steps(rocket)),
        )),
        Err(e) => return fail(1, e),
    };
    // The wait below runs on Rocket's runtime: once `execute` returns, the runtime is dropped
    // and with it every request still being answered.
    rocket::execute(async move {
        match rocket.launch().await {
            Ok(stopped) => finish_writes(&stopped),
            Err(e) => match e.kind() {
                // Rocket 0.5.2 can see its accept loop end before its own stop signal and
                // return at once, requests still being answered (seen about once in five stops
                // under load): wait for them as its graceful path would, within `stop_seconds`.
                rocket::error::ErrorKind::Shutdown(stopping, None) => {
                    let bound = stopping
                        .state::<AppConfig>()
                        .map_or(10, |c| u64::from(c.stop_seconds));
                    let deadline =
                        std::time::Instant::now() + std::time::Duration::from_secs(bound);
                    while std::sync::Arc::strong_count(stopping) > 1
                        && std::time::Instant::now() < deadline
                    {
                        rocket::tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    }
                    if std::sync::Arc::strong_count(stopping) > 1 {
                        return fail(1, "requests were still running when stop_seconds ran out");
                    }
                    finish_writes(stopping)
                }
                _ => fail(1, e),
            },
        }
    })
}

/// Requests have had their answers; what they queued last is committed before exit.
fn finish_writes<P: rocket::Phase>(stopped: &rocket::Rocket<P>) -> ExitCode {
    if let Some(db) = stopped.state::<crate::db::Db>()
        && !db.finish_writes(std::time::Duration::from_secs(5))
    {
        return fail(1, "stopped before the last writes were committed");
    }
    ExitCode::SUCCESS
}

/// From a prompt (twice) on a terminal, else the first line of standard input.
fn read_password(email: &str) -> Result<String, (u8, String)> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| (1, e.to_string()))?;
        let second =
            rpassword::prompt_password("Password again: ").map_err(|e| (1, e.to_string()))?;
        if first != second {
            return Err((USAGE, "the two passwords differ".to_string()));
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| (1, e.to_string()))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    let mut errors = FieldErrors::default();
    check_new_password(
        &mut errors,
        "password",
        "password",
        &password,
        &password,
        email,
    );
    match errors.iter().next() {
        None => Ok(password),
        Some(e) => Err((USAGE, CATALOG.message(Lang::En, e.message, None))),
    }
}

/// Says where the portal serves and keeps its data and, on a fresh installation, what to do
/// first: Rocket's own launch lines are silent in a release build.
async fn print_first_steps(rocket: &rocket::Rocket<rocket::Orbit>) {
    let (Some(config), Some(db)) = (rocket.state::<AppConfig>(), rocket.state::<crate::db::Db>())
    else {
        return;
    };
    let c = rocket.config();
    println!("Recours serves http://{}:{}/", c.address, c.port);
    println!("Data: {}", data_location(config));
    let state = db
        .run(|conn| {
            Ok::<_, crate::store::StoreError>((
                providers::count(conn)?,
                users::any_admin(conn)?,
                crate::store::complaints::any(conn)?,
            ))
        })
        .await;
    let Ok((providers, has_admin, has_complaints)) = state else {
        return;
    };
    println!("Provider directory: {providers} provider(s)");
    let run = command_prefix();
    if !has_admin {
        println!("Next: create the first administrator (the password is asked for):");
        println!("  {run} user create --email you@example.org --role admin");
    }
    if !has_complaints {
        println!("To try it with demo data (stop the server first):");
        println!("  {run} seed-demo --complaints 10000");
    }
}

/// The database for a person: a SQLite file's path, or PostgreSQL without its credentials.
fn data_location(config: &AppConfig) -> String {
    let url = config.database_url();
    match url.split_once("://") {
        Some((scheme, rest)) if scheme.starts_with("postgres") => {
            let host_and_db = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
            format!("PostgreSQL at {host_and_db}")
        }
        _ => format!(
            "{url} (SQLite), secret key in {}",
            config.data_dir.join("secret_key").display()
        ),
    }
}

/// How to run a command as this binary was started: through cargo from the source tree,
/// or the installed binary.
fn command_prefix() -> &'static str {
    let exe = std::env::current_exe().unwrap_or_default();
    if exe.to_string_lossy().contains("/target/release/") {
        "cargo run --release --"
    } else if exe.to_string_lossy().contains("/target/debug/") {
        "cargo run --"
    } else {
        "recours"
    }
}
