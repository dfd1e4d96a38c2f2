// Accounts: first-run setup, sign-in and sign-out over HTTP (they set the
// session cookie); whoami also hands back the CSRF token after a reload.
import { httpCall, setCsrfToken, dropConnection } from './api.js';

export type Role = 'admin' | 'supervisor' | 'agent';
export interface User { id: number; username: string; displayName: string; role: Role }
export interface WhoAmI { kind: 'user' | 'token'; name: string; role: Role; user: User | null; csrfToken: string | null; commands: string[] }

export const MIN_PASSWORD = 8;

export async function fetchSetupStatus(): Promise<{ needsSetup: boolean }> {
  return httpCall('auth/setup/status');
}

export async function createAdmin(username: string, password: string): Promise<void> {
  const r = await httpCall<{ csrfToken: string }>('auth/setup/create-admin', { username, password });
  setCsrfToken(r.csrfToken);
}

export async function login(username: string, password: string): Promise<void> {
  const r = await httpCall<{ csrfToken: string }>('auth/session/login', { username, password });
  setCsrfToken(r.csrfToken);
}

export async function logout(): Promise<void> {
  try { await httpCall('auth/session/logout'); } finally { setCsrfToken(null); dropConnection(); }
}

// The signed-in user, or null when there is no session.
export async function whoami(): Promise<WhoAmI | null> {
  try {
    const me = await httpCall<WhoAmI>('auth/session/whoami');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if ((e as { id?: string }).id === 'unauthenticated') return null;
    throw e;
  }
}
