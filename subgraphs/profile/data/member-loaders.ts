import DataLoader from 'dataloader';
import type { FetchMemo } from '../../shared/http/client-request-memo.js';
import type { MemberDocument, MemberModel } from './member-model.js';

export interface ProfileLoaders {
  readonly memberById: DataLoader<string, MemberDocument | null>;
  readonly memberByAccountKey: DataLoader<string, MemberDocument | null>;
}

/**
 * Per client request (never module-level: a shared cache would serve one caller's data to another): the
 * loaders live in the request's memo, so the root field's fetch and the `_entities` fetch that follows it
 * read the member once. They are taken when first used, after a mutation has stopped its fetch sharing.
 */
export function createProfileLoaders(Member: MemberModel, memo: FetchMemo): ProfileLoaders {
  return {
    get memberById() {
      return memo.get('profile.memberById', () => memberByIdLoader(Member));
    },
    get memberByAccountKey() {
      return memo.get('profile.memberByAccountKey', () => memberByAccountKeyLoader(Member));
    },
  };
}

function memberByIdLoader(Member: MemberModel): DataLoader<string, MemberDocument | null> {
  return new DataLoader(async (ids) => {
    const docs = await Member.find({ _id: { $in: [...ids] } }).lean<MemberDocument[]>();
    const byId = new Map(docs.map((d) => [d._id, d]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

function memberByAccountKeyLoader(Member: MemberModel): DataLoader<string, MemberDocument | null> {
  return new DataLoader(async (keys) => {
    const docs = await Member.find({ accountKeys: { $in: [...keys] } }).lean<MemberDocument[]>();
    return keys.map((key) => docs.find((d) => d.accountKeys.includes(key)) ?? null);
  });
}
