// The appliance's own settings, kept in the configuration (kind `system`, id
// `main`) so they travel with config bundles and backups:
//   network  staged for the appliance image, which writes them to the OS at
//            its next network restart (applies: network-restart). The
//            supervisor never reconfigures a running interface: a wrong
//            address typed in the panel must not cut the box off mid-call.
//   time     time zone and NTP servers, applied by the image the same way.
//   backup   how many backups to keep and the automatic daily backup (hot:
//            the backup code reads it at each backup and each minute).
import net from 'node:net';
import { z } from 'zod';

const ipv4 = z.string().refine((s) => net.isIPv4(s), 'an IPv4 address such as 192.168.1.10');

export const ipv4ToInt = (s: string): number => s.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);

// 192.168.1.10/24: an IPv4 address, a prefix of 1–32, and not the network's
// or broadcast address (for prefixes below 31).
export const cidr = z.string().max(18).superRefine((s, ctx) => {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(s);
  if (!m || !net.isIPv4(m[1]!)) { ctx.addIssue({ code: 'custom', message: 'an IPv4 address with its prefix, such as 192.168.1.10/24' }); return; }
  const prefix = Number(m[2]);
  if (prefix < 1 || prefix > 32) { ctx.addIssue({ code: 'custom', message: 'the prefix after / is 1 to 32' }); return; }
  const ip = ipv4ToInt(m[1]!);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  if (prefix < 31 && ((ip & ~mask) >>> 0 === 0 || (ip | ~mask) >>> 0 === 0xffffffff)) ctx.addIssue({ code: 'custom', message: `${m[1]} is the network's ${((ip & ~mask) >>> 0) === 0 ? 'own' : 'broadcast'} address for /${prefix}` });
});

export function sameSubnet(address: string, gateway: string): boolean {
  const [ip, p] = address.split('/');
  const prefix = Number(p);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return ((ipv4ToInt(ip!) & mask) >>> 0) === ((ipv4ToInt(gateway) & mask) >>> 0);
}

export const networkSettings = z.object({
  interface: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,14}$/, 'an interface name such as eth0').default('eth0'),
  mode: z.enum(['dhcp', 'static']).default('dhcp'),
  address: cidr.optional().describe('static: address/prefix'),
  gateway: ipv4.optional().describe('static: default gateway, inside the address\'s subnet'),
  dns: z.array(ipv4).max(3, 'at most 3 DNS servers').default([]),
}).strict().superRefine((n, ctx) => {
  if (n.mode !== 'static') return;
  if (!n.address) ctx.addIssue({ code: 'custom', path: ['address'], message: 'a static setting needs an address/prefix' });
  if (!n.gateway) ctx.addIssue({ code: 'custom', path: ['gateway'], message: 'a static setting needs a default gateway' });
  if (n.address && n.gateway && cidr.safeParse(n.address).success) {
    if (!sameSubnet(n.address, n.gateway)) ctx.addIssue({ code: 'custom', path: ['gateway'], message: `${n.gateway} is not inside ${n.address}` });
    else if (n.address.split('/')[0] === n.gateway) ctx.addIssue({ code: 'custom', path: ['gateway'], message: 'the gateway is the box\'s own address' });
  }
  if (!n.dns.length) ctx.addIssue({ code: 'custom', path: ['dns'], message: 'a static setting needs at least one DNS server' });
});

export function validTimeZone(tz: string): boolean {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; }
}

const host = z.string().max(253).refine((s) => net.isIPv4(s) || /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(s), 'a host name (ntp.aliyun.com) or an IPv4 address');

export const timeSettings = z.object({
  timezone: z.string().max(60).refine(validTimeZone, 'an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
  ntp: z.array(host).max(5, 'at most 5 NTP servers').default(['ntp.aliyun.com', 'cn.pool.ntp.org']),
}).strict();

export const backupPolicy = z.object({
  keepLast: z.number().int().min(1, 'keep at least 1 backup').max(100, 'at most 100').default(7).describe('older backups are deleted after each new one'),
  daily: z.boolean().default(false).describe('make a backup every day'),
  hour: z.number().int().min(0).max(23, 'an hour of the day, 0 to 23').default(3).describe('the hour (box time) of the daily backup'),
}).strict();
export type BackupPolicy = z.output<typeof backupPolicy>;

export const systemSettingsSchema = z.object({
  network: networkSettings.default({}),
  time: timeSettings.default({}),
  backup: backupPolicy.default({}),
}).strict();
export type SystemSettings = z.output<typeof systemSettingsSchema>;

export const systemSettingsOf = (config: { doc(kind: 'system', id: string): SystemSettings | undefined }): SystemSettings =>
  config.doc('system', 'main') ?? systemSettingsSchema.parse({});
