/**
 * Columns of R's `mtcars` (Henderson & Velleman 1981, Biometrics 37; public domain, 32 cars) used by the
 * relative-weights known-answer tests: mpg, cyl, disp, hp, wt, gear in R's row order.
 */
const ROWS = `21,6,160,110,2.62,4
21,6,160,110,2.875,4
22.8,4,108,93,2.32,4
21.4,6,258,110,3.215,3
18.7,8,360,175,3.44,3
18.1,6,225,105,3.46,3
14.3,8,360,245,3.57,3
24.4,4,146.7,62,3.19,4
22.8,4,140.8,95,3.15,4
19.2,6,167.6,123,3.44,4
17.8,6,167.6,123,3.44,4
16.4,8,275.8,180,4.07,3
17.3,8,275.8,180,3.73,3
15.2,8,275.8,180,3.78,3
10.4,8,472,205,5.25,3
10.4,8,460,215,5.424,3
14.7,8,440,230,5.345,3
32.4,4,78.7,66,2.2,4
30.4,4,75.7,52,1.615,4
33.9,4,71.1,65,1.835,4
21.5,4,120.1,97,2.465,3
15.5,8,318,150,3.52,3
15.2,8,304,150,3.435,3
13.3,8,350,245,3.84,3
19.2,8,400,175,3.845,3
27.3,4,79,66,1.935,4
26,4,120.3,91,2.14,5
30.4,4,95.1,113,1.513,5
15.8,8,351,264,3.17,5
19.7,6,145,175,2.77,5
15,8,301,335,3.57,5
21.4,4,121,109,2.78,4`;

const NAMES = ['mpg', 'cyl', 'disp', 'hp', 'wt', 'gear'] as const;
export type MtcarsColumn = (typeof NAMES)[number];

export const mtcars: Record<MtcarsColumn, Float64Array> = (() => {
  const rows = ROWS.split('\n').map((l) => l.split(',').map(Number));
  return Object.fromEntries(NAMES.map((n, j) => [n, Float64Array.from(rows, (r) => r[j]!)])) as Record<
    MtcarsColumn,
    Float64Array
  >;
})();
