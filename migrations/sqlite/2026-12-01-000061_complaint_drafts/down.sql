DROP TABLE complaint_drafts;
