// The report worker (started by runAcdReport): computes reports on read-only
// connections, one per database, kept between reports.
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { computeAcdReport, AcdReportError, type AcdReportOptions } from './acd-report.js';

const dbs = new Map<string, Database.Database>();

function open(file: string): Database.Database {
  let db = dbs.get(file);
  if (!db) {
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
    } catch (e) {
      throw new AcdReportError('no_database', `cannot open ${file}: ${(e as Error).message}`);
    }
    dbs.set(file, db);
  }
  return db;
}

parentPort!.on('message', (m: { id: number; dbPath: string; opts: AcdReportOptions }) => {
  try {
    parentPort!.postMessage({ id: m.id, result: computeAcdReport(open(m.dbPath), m.opts) });
  } catch (e) {
    const err = e as Error & { code?: unknown };
    parentPort!.postMessage({ id: m.id, error: { code: typeof err.code === 'string' ? err.code : 'report_failed', message: err.message } });
  }
});
