// What the page-side harness of the sanitizer tests (tests/dom/mail-harness.ts) reports: plain
// data, so the spec that reads it compiles without the DOM's types. Shared by both tsconfigs.

export interface MailOutcome {
  html: string;
  inlineStyles: string[];
  css: string;
  blockedImages: string[];
  insecureImages: number;
  /** Every attribute of the mounted message that names the remote host, as tag@name=value. */
  remoteAttributes: string[];
  /** The src of every mounted <img> ('' for none). */
  imageSources: string[];
  /** Elements of the mounted message that still have an href. */
  linkHrefs: number;
}

export interface MailHarness {
  /** Sanitizes and mounts `html` in #host's shadow root; `consented` prefixes the routes of consented images. */
  run(html: string, options: { consent: boolean; remoteHost: string; consented: string }): MailOutcome;
  /** Resolves once the page has styled, laid out and painted what is mounted. */
  settle(): Promise<void>;
  /** Computed `property` of the first element matching `selector` in the message (':host' for the host). */
  computed(selector: string, property: string): string;
  /** Each <a>: its text, its kept target and its role. */
  links(): Array<[string | null, string | null, string | null]>;
  click(selector: string): void;
  /** Loads one image outside the message (the spec's marker that earlier requests were all seen). */
  load(url: string): void;
}
