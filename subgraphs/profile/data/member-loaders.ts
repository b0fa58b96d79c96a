import DataLoader from 'dataloader';
import type { MemberDocument, MemberModel } from './member-model.js';

export interface ProfileLoaders {
  memberById: DataLoader<string, MemberDocument | null>;
  memberByAccountKey: DataLoader<string, MemberDocument | null>;
}

/** Per-request loaders (never module-level: a shared cache would serve one caller's data to another). */
export function createProfileLoaders(Member: MemberModel): ProfileLoaders {
  return {
    memberById: new DataLoader(async (ids) => {
      const docs = await Member.find({ _id: { $in: [...ids] } }).lean<MemberDocument[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    memberByAccountKey: new DataLoader(async (keys) => {
      const docs = await Member.find({ accountKeys: { $in: [...keys] } }).lean<MemberDocument[]>();
      return keys.map((key) => docs.find((d) => d.accountKeys.includes(key)) ?? null);
    }),
  };
}
