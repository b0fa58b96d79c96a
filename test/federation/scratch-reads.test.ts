import type { Document } from 'mongodb';
import { startTestFederation } from '../federation-harness.js';
import type { TestFederation } from '../federation-harness.js';

const DASHBOARD = `{ me { id mindspark { brandMemberId } profile { compositeScore tier { code } affinities { category share } } benefits { items { benefit { id title } reason } } } }`;

describe('scratch', () => {
  let fed: TestFederation;
  beforeAll(async () => { fed = await startTestFederation({ members: 50 }); });
  afterAll(async () => { await fed?.stop(); });
  it('counts', async () => {
    const dbs = [fed.dbs.profile, fed.dbs.benefits, ...fed.dbs.brands.values()].map((h) => h.connection.db!);
    const token = await fed.token({ role: 'member', memberId: 'M000001' });
    await fed.query(DASHBOARD, { token });
    await new Promise((r) => setTimeout(r, 15000));
    for (const db of dbs) { await db.command({ profile: 0 }); await db.collection('system.profile').drop().catch(() => undefined); await db.command({ profile: 2 }); }
    const r = await fed.query(DASHBOARD, { token });
    for (const db of dbs) await db.command({ profile: 0 });
    const entries: Document[] = [];
    for (const db of dbs) entries.push(...(await db.collection('system.profile').find({}).toArray()));
    const counts: Record<string, number> = {};
    for (const e of entries) { if (String(e.ns).endsWith('.events')) continue; const k = `${e.ns} ${e.op} ${JSON.stringify(e.command?.filter ?? e.command?.q ?? e.command?.pipeline?.[0] ?? '')}`.slice(0, 200); counts[k] = (counts[k] ?? 0) + 1; }
    console.log(JSON.stringify(r.body).slice(0, 300), '\n' + Object.entries(counts).map(([k, v]) => `${v} ${k}`).join('\n'));
  }, 60000);
});
