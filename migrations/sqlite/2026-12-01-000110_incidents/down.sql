DROP TABLE incident_counts;
DROP TABLE incident_members;
DROP TABLE incident_updates;
DROP TABLE incidents;
