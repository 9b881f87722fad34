/**
 * Customer lifetime value after Gupta & Lehmann (2003), "Customers as assets", Journal of
 * Interactive Marketing 17(1): with a constant margin m per period, a constant retention rate r per
 * period and a discount rate i per period, the value of a customer over an infinite horizon is
 *
 *   CLV = m · r / (1 + i − r)
 *
 * (margin received at the end of each period the customer is still there). The cockpit works in
 * months: r = 1 − monthly churn probability, i = the monthly equivalent of the annual discount rate.
 */
export const DEFAULT_ANNUAL_DISCOUNT = 0.1;

/** The monthly rate that compounds to the annual one: (1 + a)^(1/12) − 1. */
export function monthlyDiscountRate(annual: number): number {
  if (!(annual > -1)) throw new RangeError('annual discount rate must be > −1');
  return (1 + annual) ** (1 / 12) - 1;
}

/** The margin multiple r / (1 + i − r) of Gupta & Lehmann's table. */
export function clvMultiple(retention: number, discount: number): number {
  if (!(retention >= 0 && retention <= 1)) throw new RangeError('retention must be in 0..1');
  if (!(1 + discount - retention > 0)) throw new RangeError('1 + discount − retention must be > 0');
  return retention / (1 + discount - retention);
}

/** CLV = m · r / (1 + i − r), all per period. */
export function clv(margin: number, retention: number, discount: number): number {
  return margin * clvMultiple(retention, discount);
}

/**
 * CLV from a monthly margin and a monthly churn probability with an annual discount rate —
 * the form the money view uses.
 */
export function monthlyClv(
  marginPerMonth: number,
  monthlyChurn: number,
  annualDiscount = DEFAULT_ANNUAL_DISCOUNT,
): number {
  return clv(marginPerMonth, 1 - monthlyChurn, monthlyDiscountRate(annualDiscount));
}

/** The probability of churning within `months` at a constant monthly churn probability h: 1 − (1 − h)^months. */
export function churnWithin(monthlyChurn: number, months: number): number {
  if (!(monthlyChurn >= 0 && monthlyChurn <= 1)) throw new RangeError('monthly churn must be in 0..1');
  return 1 - (1 - monthlyChurn) ** months;
}
