//! The HTTP surface: one module per area, thin handlers over `store`.

pub mod account;
pub mod admin;
pub mod auth;
pub mod csrf;
pub mod errors;
pub mod headers;
pub mod i18n;
pub mod page;
pub mod pages;

use rocket::{Route, routes};

pub fn routes() -> Vec<Route> {
    routes![
        pages::home,
        pages::healthz,
        pages::style,
        i18n::switch,
        auth::register_form,
        auth::register,
        auth::login_form,
        auth::login,
        auth::logout,
        account::show,
        account::change_password,
        account::delete,
        admin::list,
        admin::set_role,
    ]
}
