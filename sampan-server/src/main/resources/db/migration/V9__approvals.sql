-- An environment may require approval before a release starts: by whom (the least role) and
-- whether the requester may approve their own release. A release records its approval.
ALTER TABLE environments ADD approval_role VARCHAR(20);
ALTER TABLE environments ADD approval_separate BOOLEAN;
ALTER TABLE releases ADD approval VARCHAR(20);
ALTER TABLE releases ADD approved_by VARCHAR(100);
