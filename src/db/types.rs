//! How the domain's closed sets of choices are stored: as their text (`as_str`), read back
//! with `parse`; an unknown text in the database is a deserialization error. The domain
//! declares them with its `choices!` macro and knows nothing of Diesel: the mapping is
//! generated here, once for every such type.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::claim::{Body, Channel, Outcome, State};
use crate::domain::complaint::{Announcement, BillingIssue, Kind, Service};
use crate::domain::provider_answer::{Reply, ResponseType};

macro_rules! stored_as_text {
    ($($ty:ident),+ $(,)?) => {$(
        const _: () = {
            // `foreign_derive`: the impls are for the field's type, declared in the domain.
            #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
            #[diesel(foreign_derive, sql_type = Text)]
            #[allow(dead_code)]
            struct Stored($ty);
        };

        impl<DB: Backend> FromSql<Text, DB> for $ty
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                $ty::parse(&text).ok_or_else(|| {
                    format!("stored {} {text:?} is not valid", stringify!($ty)).into()
                })
            }
        }

        impl<DB: Backend> ToSql<Text, DB> for $ty
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }
    )+};
}

stored_as_text!(
    State,
    Channel,
    Body,
    Outcome,
    Kind,
    Service,
    Announcement,
    BillingIssue,
    ResponseType,
    Reply
);

#[cfg(test)]
mod tests {
    use diesel::dsl::sql;
    use diesel::prelude::*;

    use super::*;

    #[test]
    fn choices_are_written_and_read_as_their_text() {
        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        for &state in State::ALL {
            let text: String = diesel::select(state.into_sql::<Text>())
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(text, state.as_str());
            let back: State = diesel::select(sql::<Text>(&format!("'{text}'")))
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(back, state);
        }
        let channel: Option<Channel> = diesel::select(sql::<diesel::sql_types::Nullable<Text>>(
            "'registered_letter'",
        ))
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(channel, Some(Channel::RegisteredLetter));
        let none: Option<Body> = diesel::select(sql::<diesel::sql_types::Nullable<Text>>("NULL"))
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(none, None);
        // A text no variant has is an error, never a default.
        let bad = diesel::select(sql::<Text>("'refund'")).get_result::<Outcome>(&mut conn);
        let error = bad.unwrap_err();
        let cause = std::error::Error::source(&error).map(|e| e.to_string());
        assert_eq!(
            cause.as_deref(),
            Some("stored Outcome \"refund\" is not valid"),
            "{error}"
        );
    }
}
