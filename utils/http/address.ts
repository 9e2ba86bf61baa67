/**
 * Which addresses are private (HOSTILE-INPUTS.md A16). Pure; depends only on `URL`, whose
 * parser has already normalised the odd spellings of an IPv4 address (`2130706433`,
 * `0x7f.1`, `127.1`) and of IPv6 (`[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`).
 */

/**
 * Private and local addresses: loopback, RFC 1918, link-local, carrier-grade NAT, unique-local
 * and IPv4-mapped IPv6, `0.0.0.0`, `localhost`, `*.localhost`, `.local`, `.internal`. A name
 * that resolves to one cannot be seen from an extension (no DNS API in Chrome); literal ones
 * and the reserved names can. An unparseable URL is not private (it is refused elsewhere).
 */
export function isPrivateAddress(url: string): boolean {
  let host: string;
  try {
    // A trailing dot names the same host (`localhost.`).
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return false;
  }
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  ) {
    return true;
  }
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.startsWith('[')) {
    const v6 = host.slice(1, -1);
    return (
      v6 === '::1' ||
      v6 === '::' ||
      /^f[cd]/.test(v6) ||
      /^fe[89ab]/.test(v6) ||
      v6.startsWith('::ffff:')
    );
  }
  return false;
}
