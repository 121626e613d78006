-- The environment's inputs a release was compiled with (profile and cluster bindings), as they were.
ALTER TABLE releases ADD inputs ${text};
