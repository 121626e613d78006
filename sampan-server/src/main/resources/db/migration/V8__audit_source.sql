-- Where a change came from (the client's address).
ALTER TABLE audit_events ADD source VARCHAR(100);
