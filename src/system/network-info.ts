// The network as the OS has it: interfaces and their addresses (node's
// os.networkInterfaces), the default gateway (/proc/net/route) and the DNS
// servers (/etc/resolv.conf). Read-only: the appliance image owns the network.
import fs from 'node:fs';
import os from 'node:os';

export interface InterfaceInfo { name: string; mac: string | null; addresses: { address: string; family: 'IPv4' | 'IPv6'; cidr: string | null; internal: boolean }[] }
export interface NetworkInfo { interfaces: InterfaceInfo[]; gateway: { address: string; interface: string } | null; dns: string[]; searchDomains: string[] }

export function readNetwork(files: { route?: string; resolv?: string } = {}): NetworkInfo {
  const interfaces: InterfaceInfo[] = Object.entries(os.networkInterfaces()).map(([name, list]) => ({
    name,
    mac: list?.find((a) => a.mac && a.mac !== '00:00:00:00:00:00')?.mac ?? null,
    addresses: (list ?? []).map((a) => ({ address: a.address, family: a.family === 'IPv6' ? 'IPv6' as const : 'IPv4' as const, cidr: a.cidr ?? null, internal: a.internal })),
  })).sort((a, b) => a.name.localeCompare(b.name));
  return { interfaces, gateway: defaultGateway(read(files.route ?? '/proc/net/route')), ...resolvConf(read(files.resolv ?? '/etc/resolv.conf')) };
}

function read(file: string): string {
  try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

// /proc/net/route: Iface Destination Gateway Flags … in little-endian hex; the default route has destination 0.
export function defaultGateway(text: string): { address: string; interface: string } | null {
  for (const line of text.split('\n').slice(1)) {
    const [iface, dest, gw, flags] = line.trim().split(/\s+/);
    if (!iface || dest !== '00000000' || !gw || !(Number.parseInt(flags ?? '0', 16) & 0x2)) continue;
    const n = Number.parseInt(gw, 16);
    return { address: [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.'), interface: iface };
  }
  return null;
}

export function resolvConf(text: string): { dns: string[]; searchDomains: string[] } {
  const dns: string[] = [];
  const searchDomains: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) dns.push(rest[0]);
    if ((key === 'search' || key === 'domain') && rest.length) searchDomains.push(...rest);
  }
  return { dns, searchDomains };
}
