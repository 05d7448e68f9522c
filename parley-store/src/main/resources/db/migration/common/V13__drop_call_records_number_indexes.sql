-- Every call record is inserted once and read rarely; each index costs a B-tree insertion per record (issue 3: the
-- CDR writer was ~10 % of the PBX's CPU under load, its INSERTs maintaining ten B-trees). Kept: the primary key,
-- call_records_ended_at (GET recent calls: ORDER BY ended_at), call_records_started (the history's keyset order,
-- started_at and id) and the three user indexes of V12 (the history of one user: caller_user, callee_user,
-- answered_user). Dropped: the three number indexes of V11, which the history stopped using in V12 (it selects by
-- user); only closing an account still matches records by number, a rare operation that may scan the table.
DROP INDEX call_records_caller;
DROP INDEX call_records_callee;
DROP INDEX call_records_answered_by;
