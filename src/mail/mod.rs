//! E-mail, beside `web` and `cli`: messages rendered at send time from what the outbox
//! holds (`render`), delivered through SMTP or into `.eml` files (`transport`) by a sender
//! in each instance, which also runs the reminder pass (`sender`).

pub mod log_filter;
pub mod render;
pub mod sender;
pub mod transport;
