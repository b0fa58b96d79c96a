import type { Collection, Connection } from 'mongoose';

/** The part of a profile member document the benefits service reads: which partners the member is linked to. */
interface LinkedMemberDocument {
  _id: string;
  links: { partner: string }[];
}

/**
 * Read-only view of the profile database's members: a partner's checkout may only spend the points of a
 * member linked to that partner. Looked up by `_id` (the member's unified id), so the primary key serves it.
 */
export class MemberLinks {
  private readonly Members: Collection<LinkedMemberDocument>;

  constructor(profileConnection: Connection) {
    this.Members = profileConnection.collection<LinkedMemberDocument>('members');
  }

  async isLinked(memberId: string, partner: string): Promise<boolean> {
    const found = await this.Members.findOne(
      { _id: memberId, 'links.partner': partner },
      { projection: { _id: 1 } },
    );
    return found !== null;
  }
}
