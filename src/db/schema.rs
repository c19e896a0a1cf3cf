// Hand-written (see ARCHITECTURE.md): the same schema serves SQLite and PostgreSQL.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        email_key -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamp,
        lang -> Text,
        email_verified_at -> Nullable<Timestamp>,
        reminders -> Bool,
        unsubscribe_token -> Nullable<Text>,
        country -> Text,
        provider_id -> Nullable<Text>,
    }
}

diesel::table! {
    mail_tokens (token_hash) {
        token_hash -> Text,
        purpose -> Text,
        user_id -> Text,
        new_email -> Nullable<Text>,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        kind -> Text,
        recipient -> Text,
        lang -> Text,
        user_id -> Nullable<Text>,
        params -> Nullable<Text>,
        dedup_key -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_owner -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        second_factor_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    second_factors (user_id) {
        user_id -> Text,
        secret -> Text,
        enrolled_at -> Nullable<Timestamp>,
        last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> Text,
        hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    account_audit (id) {
        id -> BigInt,
        actor_email -> Text,
        target_email -> Text,
        action -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        email_key -> Text,
        ip -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    providers (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        country -> Text,
        website -> Nullable<Text>,
        subscribers -> Nullable<BigInt>,
        network_id -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        subscribers_as_of -> Nullable<Text>,
        subscribers_source -> Nullable<Text>,
        admin_edited -> Bool,
    }
}

diesel::table! {
    complaints (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        provider_id -> Text,
        title -> Text,
        description -> Text,
        contract_ref -> Nullable<Text>,
        currency -> Text,
        amount_claimed -> Nullable<BigInt>,
        share_with_associations -> Bool,
        created_at -> Timestamp,
        shared_title -> Nullable<Text>,
        shared_description -> Nullable<Text>,
        shared_version -> Integer,
        public_id -> Text,
    }
}

diesel::table! {
    complaint_problems (complaint_id, kind) {
        complaint_id -> Text,
        kind -> Text,
        service -> Nullable<Text>,
        started_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        partly_restored -> Nullable<Bool>,
        still_billed -> Nullable<Bool>,
        monthly_fee -> Nullable<BigInt>,
        old_price -> Nullable<BigInt>,
        new_price -> Nullable<BigInt>,
        effective_on -> Nullable<Date>,
        announced_by -> Nullable<Text>,
        notice_received -> Nullable<Bool>,
        billing_issue -> Nullable<Text>,
        charged_on -> Nullable<Date>,
        charged_amount -> Nullable<BigInt>,
    }
}

diesel::table! {
    complaint_drafts (id) {
        id -> Text,
        user_id -> Text,
        fields -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    publications (complaint_id) {
        complaint_id -> Text,
        description -> Text,
        agreed_at -> Timestamp,
        approved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    claims (complaint_id) {
        complaint_id -> Text,
        state -> Text,
        filed_on -> Date,
        sent_on -> Nullable<Date>,
        answer_due_on -> Nullable<Date>,
        channel -> Nullable<Text>,
        provider_ref -> Nullable<Text>,
        first_answered_on -> Nullable<Date>,
        answered_on -> Nullable<Date>,
        last_offer -> Nullable<BigInt>,
        escalated_on -> Nullable<Date>,
        body -> Nullable<Text>,
        closed_on -> Nullable<Date>,
        outcome -> Nullable<Text>,
        received -> Nullable<BigInt>,
        updated_at -> Timestamp,
        account_name -> Nullable<Text>,
        response_type -> Nullable<Text>,
        in_progress_on -> Nullable<Date>,
        reply -> Nullable<Text>,
        provider_answered_on -> Nullable<Date>,
    }
}

diesel::table! {
    claim_events (id) {
        id -> BigInt,
        complaint_id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        on_date -> Date,
        state_after -> Text,
        amount -> Nullable<BigInt>,
        detail -> Nullable<Text>,
        reference -> Nullable<Text>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        complaint_id -> Text,
        filename -> Text,
        content_type -> Text,
        size -> BigInt,
        data -> Binary,
        created_at -> Timestamp,
        sent_to_provider -> Bool,
    }
}

diesel::table! {
    provider_audit (id) {
        id -> BigInt,
        provider_id -> Text,
        actor_id -> Nullable<Text>,
        actor_email -> Text,
        action -> Text,
        complaint_id -> Nullable<Text>,
        detail -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    stat_counts (provider_id, kind, metric, currency, month) {
        provider_id -> Text,
        month -> Text,
        kind -> Text,
        metric -> Text,
        currency -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    stats_generation (id) {
        id -> Integer,
        n -> BigInt,
        changed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    incidents (id) {
        id -> Text,
        provider_id -> Text,
        network_id -> Nullable<Text>,
        service -> Text,
        title -> Text,
        description -> Text,
        sources -> Text,
        started_on -> Date,
        partly_restored_on -> Nullable<Date>,
        restored_share -> Nullable<Integer>,
        restored_on -> Nullable<Date>,
        closed_on -> Nullable<Date>,
        declared_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    incident_updates (id) {
        id -> BigInt,
        incident_id -> Text,
        at -> Timestamp,
        what -> Text,
        on_date -> Nullable<Date>,
        share -> Nullable<Integer>,
        note -> Text,
    }
}

diesel::table! {
    incident_members (complaint_id) {
        complaint_id -> Text,
        incident_id -> Text,
        user_id -> Nullable<Text>,
        joined_at -> Timestamp,
    }
}

diesel::table! {
    incident_counts (incident_id, shard, metric, currency) {
        incident_id -> Text,
        shard -> Integer,
        metric -> Text,
        currency -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    daily_counts (provider_id, day) {
        provider_id -> Text,
        day -> Date,
        value -> BigInt,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(second_factors -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(provider_audit -> providers (provider_id));
diesel::joinable!(complaints -> users (user_id));
diesel::joinable!(stat_counts -> providers (provider_id));
diesel::joinable!(complaints -> providers (provider_id));
diesel::joinable!(claims -> complaints (complaint_id));
diesel::joinable!(complaint_problems -> complaints (complaint_id));
diesel::joinable!(complaint_drafts -> users (user_id));
diesel::joinable!(claim_events -> complaints (complaint_id));
diesel::joinable!(attachments -> complaints (complaint_id));
diesel::joinable!(incident_updates -> incidents (incident_id));
diesel::joinable!(incident_members -> incidents (incident_id));
diesel::joinable!(incident_members -> complaints (complaint_id));
diesel::joinable!(incident_counts -> incidents (incident_id));
diesel::joinable!(daily_counts -> providers (provider_id));
diesel::joinable!(publications -> complaints (complaint_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    second_factors,
    recovery_codes,
    login_failures,
    providers,
    complaints,
    complaint_problems,
    complaint_drafts,
    claims,
    claim_events,
    attachments,
    stat_counts,
    stats_generation,
    mail_tokens,
    outbox,
    provider_audit,
    incidents,
    incident_updates,
    incident_members,
    incident_counts,
    daily_counts,
    publications
);
