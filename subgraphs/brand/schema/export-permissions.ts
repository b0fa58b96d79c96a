import type { IRules } from 'graphql-shield';
import { memberThemselfOrOperator } from '../../shared/auth/shield-rules.js';
import { partnerFieldNames } from '../../shared/sdl/partner-field-names.js';

/** A member's export: the member themself, or an operator. */
export function exportPermissions(partnerKey: string): IRules {
  return { Member: { [partnerFieldNames(partnerKey).export]: memberThemselfOrOperator } };
}
