/** Manifest bytes as text. */

/** UTF-16 with a byte-order mark (what some Windows shells write) as kubectl reads it, else UTF-8. */
export function decodeText(bytes: Buffer): string {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  return utf16 ? new TextDecoder(utf16).decode(bytes) : bytes.toString('utf8');
}
