//! The HTTP surface: one module per area, thin handlers over `store`.

pub mod account;
pub mod admin;
pub mod alerts;
pub mod auth;
pub mod client;
pub mod complaint_edit;
pub mod complaints;
pub mod compression;
pub mod csrf;
pub mod csv_sheet;
pub mod errors;
pub mod export;
pub mod filing;
pub mod headers;
pub mod i18n;
pub mod incidents;
pub mod metrics;
pub mod open_data;
pub mod open_records;
pub mod page;
pub mod pages;
pub mod password;
pub mod password_check;
pub mod provider_portal;
pub mod providers;
pub mod publication;
pub mod query;
pub mod ready;
pub mod request_log;
pub mod review;
pub mod second_factor;
pub mod stats;
pub mod stats_cache;
pub mod streamed;
pub mod table_schema;

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
        second_factor::code_form,
        second_factor::code,
        second_factor::enrol_form,
        second_factor::enrol,
        second_factor::renew_recovery_codes,
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
        admin::reset_second_factor,
        providers::list,
        providers::add,
        providers::merge,
        providers::edit,
        providers::update,
        review::index,
        review::records_csv,
        alerts::alerts,
        open_records::api_complaints,
        open_records::complaints_csv,
        publication::show,
        publication::set,
        publication::queue,
        publication::decide,
        stats::index,
        stats::provider,
        stats::download_csv,
        stats::api_providers,
        stats::api_provider,
        stats::openapi,
        stats::methodology,
        stats::dictionary,
        table_schema::providers,
        table_schema::complaints,
        table_schema::reviewers,
        complaints::list,
        filing::new,
        filing::start,
        filing::show_step,
        filing::save_step,
        filing::file,
        filing::list,
        filing::delete,
        complaints::file,
        complaints::show,
        complaints::action_form,
        complaints::act,
        complaints::upload,
        complaint_edit::form,
        complaint_edit::save,
        complaint_edit::remove_attachment,
        complaints::download,
        complaints::letter,
        complaints::reply,
        provider_portal::inbox,
        provider_portal::inbox_csv,
        provider_portal::case,
        provider_portal::evidence,
        provider_portal::respond,
        provider_portal::respond_many,
        provider_portal::staff_list,
        provider_portal::staff_invite,
        provider_portal::staff_remove,
        provider_portal::admin_staff,
        provider_portal::admin_invite,
        provider_portal::admin_remove,
        incidents::list,
        incidents::show,
        incidents::new,
        incidents::declare,
        incidents::update_form,
        incidents::update,
        incidents::join::form,
        incidents::join::calculate,
        incidents::join::file,
        incidents::api::incidents,
        incidents::api::incident,
    ]
}
