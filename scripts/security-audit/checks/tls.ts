import { type ConnectionOptions, connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { type Check, result, type Verdict, worst } from '../audit.js';

/** A certificate that expires sooner than this is a warning. */
export const expiryWarningDays = 30;
const day = 86_400_000;

/** The certificate chain (trusted, host name), its expiry, and that nothing older than TLS 1.2 is accepted. */
export const tlsCheck: Check = {
  name: 'TLS',
  async run({ url, ca }) {
    if (!url) return result('not-run', 'no --url: no running server to ask');
    if (url.protocol !== 'https:') return result('not-run', `${url.origin} is not https: TLS not checked`);
    const host = url.hostname;
    const port = Number(url.port || 443);
    const evidence: string[] = [];
    const verdicts: Verdict[] = [];

    const socket = await handshake({ host, port, servername: host, rejectUnauthorized: false, ...(ca ? { ca } : {}) });
    if (socket instanceof Error) return result('fail', `no TLS handshake with ${url.host}`, [socket.message]);
    const protocol = socket.getProtocol();
    const chain = chainOf(socket.getPeerCertificate(true));
    const authorized = socket.authorized;
    const authorizationError = socket.authorizationError;
    socket.destroy();

    evidence.push(`negotiated ${protocol}`);
    evidence.push(
      ...chain.map(
        (cert, index) => `chain[${index}]: ${cert.subject?.CN ?? '?'} issued by ${cert.issuer?.CN ?? '?'}, valid until ${cert.valid_to}`,
      ),
    );
    if (authorized) evidence.push('chain: trusted, host name matches');
    else {
      evidence.push(`chain: not trusted (${String(authorizationError)})`);
      verdicts.push('fail');
    }
    const leaf = chain[0];
    if (leaf) {
      const daysLeft = Math.floor((Date.parse(leaf.valid_to) - Date.now()) / day);
      evidence.push(`certificate expires in ${daysLeft} day(s)`);
      verdicts.push(daysLeft < 0 ? 'fail' : daysLeft < expiryWarningDays ? 'warn' : 'pass');
    }
    if (protocol === 'TLSv1' || protocol === 'TLSv1.1') verdicts.push('fail');

    // Offer only TLS 1.0/1.1 (with the security level that still allows them): the server must refuse.
    const legacy = await handshake({
      host,
      port,
      servername: host,
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    if (legacy instanceof Error) evidence.push(`TLS 1.0/1.1 refused (${legacy.message.split('\n')[0]})`);
    else {
      evidence.push(`TLS 1.0/1.1 accepted (${legacy.getProtocol()})`);
      legacy.destroy();
      verdicts.push('fail');
    }
    const verdict = worst(verdicts);
    const summary = {
      pass: 'trusted chain, TLS ≥ 1.2 only, certificate valid for 30+ days',
      warn: `certificate expires within ${expiryWarningDays} days`,
      fail: 'untrusted chain, expired certificate or legacy TLS accepted',
      'not-run': '',
    }[verdict];
    return result(verdict, summary, evidence);
  },
};

function handshake(options: ConnectionOptions): Promise<TLSSocket | Error> {
  return new Promise((resolve) => {
    const socket = connect({ ...options, timeout: 10_000 });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', (error) => resolve(error));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(new Error('handshake timed out'));
    });
  });
}

/** The leaf first, then each issuer, stopping at a self-signed root. */
function chainOf(leaf: PeerCertificate & { issuerCertificate?: PeerCertificate }): PeerCertificate[] {
  const chain: PeerCertificate[] = [];
  let current: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = leaf;
  while (current && Object.keys(current).length > 0 && !chain.includes(current)) {
    chain.push(current);
    current = current.issuerCertificate === current ? undefined : current.issuerCertificate;
  }
  return chain;
}
