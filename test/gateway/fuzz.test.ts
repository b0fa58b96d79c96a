import { FUZZ_KINDS } from '../../tools/graphql-fuzz/fuzz-documents.js';
import { runFuzz } from '../../tools/graphql-fuzz/run-fuzz.js';
import { useTestFederation } from '../federation-harness.js';

const DOCUMENTS = 550;
const SEED = 20_260_801;

describe('fuzzing the gateway with generated documents', () => {
  const fed = useTestFederation({ members: 20 });

  it(`answers ${DOCUMENTS} valid and broken requests, across every role, with no 5xx, internal error or stack trace`, async () => {
    const result = await runFuzz({
      gatewayUrl: fed.federation.gatewayUrl,
      documents: DOCUMENTS,
      seed: SEED,
      identities: { members: ['M000001'], partners: fed.registry.partners.map((p) => p.key) },
      token: async (principal) => (principal.role === 'anonymous' ? null : fed.token(principal)),
    });
    expect(result.sent).toBe(DOCUMENTS);
    expect(FUZZ_KINDS.length * 5).toBeLessThan(DOCUMENTS);
    // The fuzzer reaches the interesting paths: answers with data, client errors, and refusals.
    expect(result.statuses[200]).toBeGreaterThan(0);
    expect(result.statuses[400]).toBeGreaterThan(0);
    expect(
      result.findings.map((f) => ({
        kind: f.fuzzCase.kind,
        problem: f.problem,
        body: f.fuzzCase.body.slice(0, 200),
        answer: f.answer,
      })),
    ).toEqual([]);
  }, 300_000);
});
