ALTER TABLE claims DROP COLUMN provider_answered_on;
