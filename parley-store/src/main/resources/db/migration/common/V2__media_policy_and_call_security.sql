-- Parley schema, version 2: media anchoring. Runs unchanged on SQLite and PostgreSQL (one ADD COLUMN per
-- statement, as SQLite requires).

-- The media policy of a device: 'required' (SRTP only), 'preferred' (SRTP when its signalling is TLS), 'off'
-- (plain RTP). Devices that existed before anchoring keep the default.
ALTER TABLE devices ADD COLUMN media_policy TEXT NOT NULL DEFAULT 'preferred'
    CHECK (media_policy IN ('required', 'preferred', 'off'));

-- Each leg's security and media counters (NULL when the call never set that leg up):
--   *_signalling  the SIP transport of the leg: UDP, TCP, TLS, WSS;
--   *_media       RTP, or SRTP and the suite ('SRTP AES_CM_128_HMAC_SHA1_80'); never key material;
--   *_packets_*   RTP packets Parley received from / sent to that leg's peer, read when the call ended.
-- encrypted_all_legs: 1 when the call was answered and every leg was SRTP (the padlock), else 0.
ALTER TABLE call_records ADD COLUMN caller_signalling TEXT;
ALTER TABLE call_records ADD COLUMN caller_media TEXT;
ALTER TABLE call_records ADD COLUMN caller_packets_received BIGINT;
ALTER TABLE call_records ADD COLUMN caller_packets_sent BIGINT;
ALTER TABLE call_records ADD COLUMN callee_signalling TEXT;
ALTER TABLE call_records ADD COLUMN callee_media TEXT;
ALTER TABLE call_records ADD COLUMN callee_packets_received BIGINT;
ALTER TABLE call_records ADD COLUMN callee_packets_sent BIGINT;
ALTER TABLE call_records ADD COLUMN encrypted_all_legs INTEGER NOT NULL DEFAULT 0;
