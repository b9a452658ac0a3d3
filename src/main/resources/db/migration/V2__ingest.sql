-- Message feeds (CONTRACT §3): before applying a feed message the registry looks up whether a
-- version was already written for (feed name, message id); that lookup must not scan the history.
-- Not unique: HTTP clients may reuse an X-Request-Id, and for feeds the existing constraints
-- (one registration per identifier, one update per version) already stop a second write.
CREATE INDEX appointment_version_source_request ON appointment_version (actor_source, request_id);
