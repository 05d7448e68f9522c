/** Call detail records: one per call, written when the call ends, through the {@code CallRecordRepository} port. */
package dev.parley.pbx.cdr;
