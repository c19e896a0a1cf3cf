DROP TABLE account_audit;
ALTER TABLE sessions DROP COLUMN second_factor_at;
DROP INDEX recovery_codes_user;
DROP TABLE recovery_codes;
DROP TABLE second_factors;
