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
