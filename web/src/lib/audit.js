// Reading the indexer's audit record of a bet (/audit/bets/{id}): did the proof re-verify and
// does the recomputed outcome match what the chain paid?

/** {verified: true|false|null, problems: string[]} — null while the record is incomplete. */
export function auditVerdict(record) {
  if (!record || typeof record !== "object") return { verified: null, problems: [] };
  const problems = [...(record.mismatches ?? record.problems ?? [])].map((m) => (typeof m === "string" ? m : JSON.stringify(m)));
  const proof = record.proof_verification ?? record.verification ?? record.proof ?? {};
  const proofOk = firstBoolean(record.proof_valid, record.proofValid, record.proof_verified, proof.valid, proof.verified, proof.ok);
  const outcomeOk = firstBoolean(record.outcome_matches, record.outcomeMatches, record.matches, record.consistent);
  const overall = firstBoolean(record.verified, record.ok, record.valid);
  if (proofOk === false) problems.push("the randomness proof did not verify");
  if (outcomeOk === false) problems.push("the recomputed outcome differs from what the chain paid");
  if (problems.length || overall === false) return { verified: false, problems };
  if (overall === true || (proofOk === true && outcomeOk !== false)) return { verified: true, problems };
  return { verified: null, problems };
}

function firstBoolean(...values) {
  for (const value of values) if (typeof value === "boolean") return value;
  return null;
}
