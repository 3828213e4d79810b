import type { ReviewReason } from '../../../shared/status.ts';
import type { PaymentState } from './state.ts';

/**
 * Flags a payment for a person. The first reason stays: it is the one a person has to look at
 * first; later ones are in the audit trail.
 */
export function setReview(p: PaymentState, reason: ReviewReason, now: number): PaymentState {
  if (p.reviewReason) return p;
  return { ...p, reviewReason: reason, reviewSince: now };
}
