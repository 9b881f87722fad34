import { AppError, type CustomerFile, type DataScope } from '@cx/core';
import type { AppStore } from '../../app-store/port.ts';
import type { Warehouse } from '../../warehouse/port.ts';
import { storeAsOf } from './as-of.ts';
import { customerRow } from './customer-row.ts';
import { customerFollowUpCases } from './follow-up-cases.ts';
import { customerIdentities } from './identities.ts';
import { customerOutcomes } from './outcomes.ts';
import { customerProductNames } from './product-names.ts';
import { customerResponses } from './responses.ts';
import { customerScores } from './scores.ts';
import { customerTimeline } from './timeline.ts';

/**
 * The customer file of the 360 page: the customer row, identities, timeline, responses, outcomes,
 * follow-up cases and scores, each from its own query filtered on the customer id and the data
 * scope. A customer that does not exist, or that the scope hides, is a 404 naming the id.
 */
export async function customerFile(
  wh: Warehouse,
  appStore: AppStore,
  customerId: string,
  scope: DataScope,
  now: Date,
): Promise<CustomerFile> {
  const customer = await customerRow(wh, customerId, scope);
  if (!customer) {
    throw new AppError('not_found', `No customer ${customerId} (or not in your data scope)`, {
      field: 'id',
      customerId,
    });
  }
  const [asOf, productNames, identities, timeline, responses, outcomes, cases, scores] = await Promise.all([
    storeAsOf(wh, now),
    customerProductNames(wh, customerId, customer.attributes),
    customerIdentities(wh, customerId, scope),
    customerTimeline(wh, customerId, scope),
    customerResponses(wh, customerId, scope),
    customerOutcomes(wh, customerId, scope),
    customerFollowUpCases(appStore, customerId),
    customerScores(wh, customerId),
  ]);
  return {
    customer,
    asOf,
    productNames,
    identities,
    timeline: timeline.cases,
    timelineTruncated: timeline.truncated,
    responses,
    outcomes,
    cases,
    scores,
  };
}
