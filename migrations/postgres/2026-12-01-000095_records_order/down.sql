DROP INDEX complaints_created;
