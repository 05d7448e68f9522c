/**
 * Serial lanes: single-threaded executors, each with its own timers, on which all events of one call run in order
 * and without locks (docs/architecture.md, "Threading"). A lane never blocks: blocking work goes to virtual threads
 * and posts its result back with {@link dev.parley.sipstack.lane.Lane#execute}.
 */
package dev.parley.sipstack.lane;
