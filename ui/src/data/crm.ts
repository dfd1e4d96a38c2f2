// Customers: the screen pop (a number looked up) and a new customer.
import type { Connection } from './api.js';
import type { Cdr, Recording } from './calls.js';

export interface Phone { number: string; norm: string; label: string }
export interface Customer { id: number; name: string; company: string; address: string; phones: Phone[]; tags: string[] }
export type HistoryItem = { type: 'call'; at: string; call: Cdr; recordings?: Recording[] } | { type: 'note'; at: string; note: { body: string; author: string; createdAt: string } };
export type Region =
  | { type: 'mobile'; prefix: string; carrier: string; carrierZh: string }
  | { type: 'fixed'; areaCode: string; city: string | null; cityZh?: string; province?: string; provinceZh?: string }
  | { type: 'local' }
  | { type: 'service'; what: string }
  | { type: 'special'; what: string }
  | { type: 'international'; number: string };
export interface Lookup { number: string; normalized: string | null; customer: Customer | null; otherMatches: number; history: HistoryItem[]; region: Region | null }
export interface NewCustomer { name: string; company?: string; address?: string; phones: { number: string; label?: string }[]; tags?: string[] }

export const lookupNumber = (conn: Connection, number: string) => conn.request<Lookup>('crm/customer/lookup', { number });
export const createCustomer = (conn: Connection, c: NewCustomer) => conn.request<Customer>('crm/customer/create', c);
export const addNote = (conn: Connection, id: number, body: string) => conn.request('crm/note/add', { customerId: id, body });
