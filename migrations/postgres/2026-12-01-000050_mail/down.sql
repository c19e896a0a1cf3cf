DROP TABLE outbox;
DROP TABLE mail_tokens;
DROP INDEX users_unsubscribe_token;
ALTER TABLE users DROP COLUMN unsubscribe_token;
ALTER TABLE users DROP COLUMN reminders;
ALTER TABLE users DROP COLUMN email_verified_at;
ALTER TABLE users DROP COLUMN lang;
