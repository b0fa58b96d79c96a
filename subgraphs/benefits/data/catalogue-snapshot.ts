import type { SharedSnapshotOptions } from '../../shared/cache/shared-snapshot.js';
import { SharedSnapshot, SNAPSHOT_TTL_MS } from '../../shared/cache/shared-snapshot.js';
import type { CatalogueBenefit } from '../domain/match-benefit-bundle.js';
import type { BenefitDocument, BenefitModel } from './catalogue-model.js';
import { toCatalogueBenefit } from './catalogue-model.js';

/** Where a process that changed the catalogue tells the others (the message is the reason, for logs). */
export const CATALOGUE_CHANGED_TOPIC = 'benefits:catalogue-changed';
/** However the change signal fares, a snapshot is read again after this long. */
export const CATALOGUE_TTL_MS = SNAPSHOT_TTL_MS;

/** The whole catalogue as read at one moment; shared by every request that uses it, so never changed. */
export interface CatalogueView {
  readonly benefits: readonly CatalogueBenefit[];
}

/**
 * The benefit catalogue held in memory, instead of read on every bundle: a few dozen documents that change
 * when the partner registry is synced, not per request (see `SharedSnapshot` for when it is read again).
 */
export class CatalogueSnapshot extends SharedSnapshot<CatalogueView> {
  constructor(Benefit: BenefitModel, options: SharedSnapshotOptions = {}) {
    super('catalogue-snapshot', CATALOGUE_CHANGED_TOPIC, () => readCatalogue(Benefit), options);
  }
}

async function readCatalogue(Benefit: BenefitModel): Promise<CatalogueView> {
  const documents = await Benefit.find({}).sort({ _id: 1 }).lean<BenefitDocument[]>().exec();
  return Object.freeze({
    benefits: Object.freeze(documents.map((d) => Object.freeze(toCatalogueBenefit(d)))),
  });
}
