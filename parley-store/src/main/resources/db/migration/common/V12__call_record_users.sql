-- Call records name their users (who placed the call, whose extension was dialled, whose device answered), so the
-- history (GET /api/me/calls) selects a user's calls by user and not by number: an extension given to someone else
-- takes none of its old calls along, and a user whose number changes keeps theirs. Not foreign keys: a record
-- outlives a deleted user (closing an account clears or deletes these values itself). V10 was never used.
ALTER TABLE call_records ADD COLUMN caller_user TEXT;
ALTER TABLE call_records ADD COLUMN callee_user TEXT;
ALTER TABLE call_records ADD COLUMN answered_user TEXT;

-- Calls recorded before this version: the directory as it stands at the upgrade is the best knowledge there is
-- (the same mapping the history used until now). A device's SIP username before an extension, as the router does.
UPDATE call_records SET caller_user = COALESCE(
    (SELECT d.owner_id FROM devices d WHERE d.sip_username = call_records.caller),
    (SELECT e.owner_id FROM extensions e WHERE e.number = call_records.caller));
UPDATE call_records SET callee_user = COALESCE(
    (SELECT e.owner_id FROM extensions e WHERE e.number = call_records.callee),
    (SELECT d.owner_id FROM devices d WHERE d.sip_username = call_records.callee));
UPDATE call_records SET answered_user =
    (SELECT d.owner_id FROM devices d WHERE d.sip_username = call_records.answered_by);

CREATE INDEX call_records_caller_user ON call_records (caller_user, started_at);
CREATE INDEX call_records_callee_user ON call_records (callee_user, started_at);
CREATE INDEX call_records_answered_user ON call_records (answered_user, started_at);
