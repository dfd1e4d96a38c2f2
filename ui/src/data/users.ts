// User accounts and API tokens (admins).
import type { Connection } from './api.js';
import type { Role } from './auth.js';

export interface UserRow { id: number; username: string; displayName: string; role: Role; disabled: boolean; createdAt: string; passwordChangedAt: string }
export interface TokenRow { id: number; name: string; role: Role; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }

export const fetchUsers = (conn: Connection) => conn.request<UserRow[]>('users/user/list');
export const createUser = (conn: Connection, u: { username: string; displayName: string; role: Role; password: string }) => conn.request<UserRow>('users/user/create', u);
export const updateUser = (conn: Connection, id: number, change: { displayName?: string; role?: Role; password?: string }) => conn.request<UserRow>('users/user/update', { id, ...change });
export const disableUser = (conn: Connection, id: number) => conn.request<UserRow>('users/user/disable', { id });
export const enableUser = (conn: Connection, id: number) => conn.request<UserRow>('users/user/enable', { id });
export const fetchTokens = (conn: Connection) => conn.request<TokenRow[]>('auth/token/list');
export const createToken = (conn: Connection, name: string, role: Role) => conn.request<TokenRow & { token: string }>('auth/token/create', { name, role });
export const revokeToken = (conn: Connection, id: number) => conn.request<Record<string, never>>('auth/token/revoke', { id });
