-- Call history (GET /api/me/calls, /api/calls): pages in the order (started_at, id) descending, for everyone or
-- for the calls where one of a user's numbers or devices is the caller, the dialled number or the answering device.
CREATE INDEX call_records_started ON call_records (started_at, id);
CREATE INDEX call_records_caller ON call_records (caller, started_at);
CREATE INDEX call_records_callee ON call_records (callee, started_at);
CREATE INDEX call_records_answered_by ON call_records (answered_by, started_at);
