import type { IRules } from 'graphql-shield';
import { memberThemselfOrOperator } from '../../shared/auth/shield-rules.js';

/** A member's export: the member themself, or an operator. */
export function privacyPermissions(): IRules {
  return { Member: { benefitsExport: memberThemselfOrOperator } };
}
