DROP TABLE provider_audit;
ALTER TABLE attachments DROP COLUMN sent_to_provider;
DROP INDEX claims_channel;
ALTER TABLE claims DROP COLUMN reply;
ALTER TABLE claims DROP COLUMN in_progress_on;
ALTER TABLE claims DROP COLUMN response_type;
ALTER TABLE claims DROP COLUMN account_name;
DROP INDEX users_provider;
ALTER TABLE users DROP COLUMN provider_id;
