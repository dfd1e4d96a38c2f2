// Backups and restore (admins): list, make (progress from the backup topic),
// delete, download links, and a backup file uploaded to be restored at the
// next start.
import { httpUpload, type Connection } from './api.js';

export interface Backup { name: string; size: number; createdAt: string; url: string }
export interface BackupProgress { name: string; phase: 'database' | 'prompts' | 'packing' | 'done' | 'failed'; done: number; total: number; error?: string }
export interface PendingRestore { source: string; backupCreatedAt: string; schemaVersion: number; files: number; prompts: number; databaseBytes: number; stagedAt: string; stagedBy: string }

export const fetchBackups = (conn: Connection) => conn.request<{ backups: Backup[]; progress: BackupProgress | null }>('system/backup/list');
export const deleteBackup = (conn: Connection, name: string) => conn.request<object>('system/backup/delete', { name });
export const fetchRestoreStatus = (conn: Connection) => conn.request<{ pending: PendingRestore | null }>('system/restore/status');
export const cancelRestore = (conn: Connection) => conn.request<{ cancelled: boolean }>('system/restore/cancel');

// Makes a backup; onProgress hears each step until the answer comes.
export async function createBackup(conn: Connection, onProgress: (p: BackupProgress) => void): Promise<Backup> {
  const stop = conn.subscribe<BackupProgress>('backup', onProgress);
  try {
    return await conn.request<Backup>('system/backup/create');
  } finally {
    stop();
  }
}

export const uploadRestore = (file: File) =>
  httpUpload<{ pending: PendingRestore; verified: { manifest: boolean; integrity: string; schemaVersion: number } }>(`/api/backups/upload?name=${encodeURIComponent(file.name)}`, file);

// The backup policy: keep the last N backups; the automatic daily backup at an hour (box time).
export interface BackupPolicy { keepLast: number; daily: boolean; hour: number }
export const fetchBackupPolicy = (conn: Connection) => conn.request<BackupPolicy & { lastAutomatic: string | null }>('system/backup-policy/get');
export const saveBackupPolicy = (conn: Connection, p: BackupPolicy) => conn.request<BackupPolicy & { pruned: string[] }>('system/backup-policy/set', p);

// The network as the OS has it, and the setting staged for the appliance image.
export interface NetworkSetting { interface: string; mode: 'dhcp' | 'static'; address?: string; gateway?: string; dns: string[] }
export interface InterfaceInfo { name: string; mac: string | null; addresses: { address: string; family: 'IPv4' | 'IPv6'; cidr: string | null; internal: boolean }[] }
export interface NetworkInfo { interfaces: InterfaceInfo[]; gateway: { address: string; interface: string } | null; dns: string[]; searchDomains: string[]; staged: NetworkSetting; applies: string }
export const fetchNetwork = (conn: Connection) => conn.request<NetworkInfo>('system/network/get');
export const saveNetwork = (conn: Connection, n: NetworkSetting) => conn.request<{ staged: NetworkSetting; applies: string }>('system/network/set', n);

export interface TimeSettings { timezone: string; ntp: string[] }
export const fetchTime = (conn: Connection) => conn.request<{ now: string; boxTimezone: string; utcOffsetMin: number; settings: TimeSettings }>('system/time/get');
export const saveTime = (conn: Connection, s: TimeSettings) => conn.request<{ settings: TimeSettings }>('system/time/set', s);

export interface LogLine { seq: number; time: string; level: 'info' | 'warn' | 'error'; msg: string; fields: Record<string, unknown> }
export const fetchLogs = (conn: Connection, q: { level: 'info' | 'warn' | 'error'; q?: string; limit?: number }) =>
  conn.request<{ lines: LogLine[]; total: number; capacity: number }>('system/log/list', { level: q.level, limit: q.limit ?? 300, ...(q.q ? { q: q.q } : {}) });

// Long work with progress (customer CSV import/export): rows done of all.
export interface JobProgress { id: string; kind: string; phase: 'checking' | 'reading' | 'writing' | 'done' | 'failed'; done: number; total: number; error?: string }
const jobId = () => `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

// Runs a command as a named job; onProgress hears its progress until the answer comes.
async function withProgress<T>(conn: Connection, command: string, input: Record<string, unknown>, onProgress: (p: JobProgress) => void): Promise<T> {
  const id = jobId();
  const stop = conn.subscribe<JobProgress>('progress', (p) => { if (p.id === id) onProgress(p); });
  try {
    return await conn.request<T>(command, { ...input, job: id });
  } finally {
    stop();
  }
}
export const importCustomers = (conn: Connection, csv: string, onProgress: (p: JobProgress) => void) =>
  withProgress<{ imported: number }>(conn, 'crm/import/commit', { csv }, onProgress);
export const exportCustomers = (conn: Connection, onProgress: (p: JobProgress) => void) =>
  withProgress<{ filename: string; csv: string; count: number }>(conn, 'crm/export/csv', {}, onProgress);

// Text as a file the browser saves.
export function saveAs(filename: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
