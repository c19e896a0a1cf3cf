//! The HTTP surface: one module per area, thin handlers over `store`.

pub mod account;
pub mod admin;
pub mod auth;
pub mod client;
pub mod complaints;
pub mod csrf;
pub mod csv_sheet;
pub mod errors;
pub mod export;
pub mod headers;
pub mod i18n;
pub mod metrics;
pub mod page;
pub mod pages;
pub mod password;
pub mod password_check;
pub mod providers;
pub mod ready;
pub mod request_log;
pub mod review;
pub mod stats;
pub mod stats_cache;

use rocket::{Route, routes};

pub fn routes() -> Vec<Route> {
    routes![
        pages::home,
        pages::healthz,
        ready::readyz,
        metrics::metrics,
        pages::style,
        pages::favicon,
        i18n::switch,
        auth::register_form,
        auth::register,
        auth::login_form,
        auth::login,
        auth::logout,
        account::show,
        account::change_country,
        account::export,
        account::change_password,
        account::delete,
        password::forgot_form,
        password::forgot,
        password::reset_link,
        password::reset_form,
        password::reset,
        password::verify,
        password::unsubscribe_page,
        password::unsubscribe,
        password::settings,
        password::change_email,
        password::confirm_email,
        password::set_reminders,
        admin::list,
        admin::set_role,
        providers::list,
        providers::add,
        providers::merge,
        providers::edit,
        providers::update,
        review::index,
        review::records_csv,
        stats::index,
        stats::provider,
        stats::download_csv,
        stats::api_providers,
        stats::api_provider,
        stats::openapi,
        complaints::list,
        complaints::new,
        complaints::file,
        complaints::show,
        complaints::action_form,
        complaints::act,
        complaints::upload,
        complaints::download,
        complaints::letter,
    ]
}
