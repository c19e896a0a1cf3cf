//! Pure rules: no Rocket, no Diesel.

/// Declares a closed set of choices stored as text, with `ALL`, `as_str` and `parse`.
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

pub mod account;
pub mod alerts;
pub mod anonymise;
pub mod claim;
pub mod complaint;
pub mod country;
pub mod date_input;
pub mod directory;
pub mod evidence;
pub mod filing;
pub mod incident;
pub mod ladder;
pub mod lockout;
pub mod mail;
pub mod money;
pub mod network;
pub mod provider;
pub mod provider_answer;
pub mod second_factor;
pub mod selection;
pub mod stats;
pub mod tally;

/// A problem with one form field: the field's name and the catalog key of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: &'static str,
}

/// The errors found in one form, in the order of its fields.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: &'static str) {
        self.0.push(FieldError { field, message });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message key for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message)
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }
}
