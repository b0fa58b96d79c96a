import { Schema } from 'mongoose';

/*
 * The field definitions the stores' mongoose schemas repeat, named once. A schema reads as its fields and
 * what each must hold (`memberId: requiredString`); a field with anything more (an enum, an index, a nested
 * schema) is still spelled out where it stands. Mongoose copies a definition's options when it builds a
 * path, so one definition can serve every schema.
 */

export const requiredString = { type: String, required: true };
export const requiredNumber = { type: Number, required: true };
export const requiredBoolean = { type: Boolean, required: true };
export const requiredDate = { type: Date, required: true };
export const requiredMixed = { type: Schema.Types.Mixed, required: true };

export const nullableString = { type: String, default: null };
export const nullableNumber = { type: Number, default: null };
export const nullableDate = { type: Date, default: null };
export const nullableMixed = { type: Schema.Types.Mixed, default: null };

/** A counter that starts at zero. */
export const countFromZero = { type: Number, default: 0 };
/** A list of strings, empty until something is added. */
export const stringList = { type: [String], default: [] };
