// What the page-side contrast measurement (tests/dom/contrast.ts) reports: plain data, so the
// spec that reads it compiles without the DOM's types. Shared by both tsconfigs.

export interface ControlContrast {
  /** What the operator reads: the control's aria-label, else its text. */
  control: string;
  /** The computed text colour and the background it is read against, as rgb(). */
  color: string;
  background: string;
  /** WCAG 2's contrast ratio, rounded to two decimals. */
  ratio: number;
}
