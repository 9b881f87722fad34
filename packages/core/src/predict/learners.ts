import { inputError } from '../errors.ts';
import { gbdtLearner, loadGbdt } from './gbdt.ts';
import { type LogisticParams, loadLogistic, logisticLearner } from './logistic.ts';
import type { FittedModel, Learner, LearnerKind, SerializedModel } from './types.ts';

/** Every learner the pipeline can choose from, by kind. */
export const LEARNERS: Readonly<Record<LearnerKind, Learner>> = {
  logistic: logisticLearner,
  gbdt: gbdtLearner,
};

export const LEARNER_KINDS = Object.keys(LEARNERS) as LearnerKind[];

export function isLearnerKind(v: string): v is LearnerKind {
  return Object.hasOwn(LEARNERS, v);
}

/** Revives a model saved with `toJSON()`; the error names what is wrong with the file's content. */
export function loadModel(serialized: SerializedModel): FittedModel {
  const s = serialized as Partial<SerializedModel> | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.features))
    throw inputError('not a saved model (expected { kind, features, params })', { field: 'model' });
  if (s.kind === 'logistic') {
    const p = s.params as Partial<LogisticParams> | null;
    if (!p || typeof p.intercept !== 'number' || !Array.isArray(p.coefficients) || !Array.isArray(p.means))
      throw inputError('saved logistic model: params need intercept, coefficients and means', {
        field: 'model.params',
      });
    return loadLogistic(p as LogisticParams, s.features);
  }
  if (s.kind === 'gbdt') return loadGbdt(s.params, s.features);
  throw inputError(`unknown model kind "${String(s.kind)}"; expected ${LEARNER_KINDS.join(' or ')}`, {
    field: 'model.kind',
  });
}
