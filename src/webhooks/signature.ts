// Webhook signatures: `X-Hotline-Signature: t=<unix seconds>,v1=<hex>` where
// hex is HMAC-SHA256(secret, "<t>.<body>"). The timestamp inside the signed
// text lets a receiver refuse replays of old deliveries.
import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hotline-signature';

export function sign(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  const mac = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

// For receivers (and the tests): true when the header signs this body and is recent.
export function verifySignature(secret: string, header: string | undefined, body: string, toleranceS = 300, now = Date.now()): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceS) return false;
  const want = Buffer.from(crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const got = Buffer.from(parts.v1);
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}
