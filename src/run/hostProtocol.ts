/** The pty host's exit marker: OSC 7777 (ignored by terminals if it ever leaked), then nonce, code, signal, BEL. */
export const MARKER_PREFIX = '\x1b]7777;kirby-exit;';
/** What the reader types back once it has read the marker. */
export const ACK_PREFIX = 'kirby-ack-';
